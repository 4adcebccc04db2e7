using Microsoft.AspNetCore.Http;

namespace Replicator.Hosting.Management;

/// <summary>Error responses in the management API's one shape (<see cref="ManagementError"/>).</summary>
public static class ManagementResults
{
    public static IResult BadRequest(string error) => Results.Json(new ManagementError(error), ManagementJson.TypeInfo<ManagementError>(), statusCode: StatusCodes.Status400BadRequest);

    public static IResult NotFound(string error) => Results.Json(new ManagementError(error), ManagementJson.TypeInfo<ManagementError>(), statusCode: StatusCodes.Status404NotFound);

    public static IResult Conflict(string error) => Results.Json(new ManagementError(error), ManagementJson.TypeInfo<ManagementError>(), statusCode: StatusCodes.Status409Conflict);

    public static IResult Unavailable(string error) => Results.Json(new ManagementError(error), ManagementJson.TypeInfo<ManagementError>(), statusCode: StatusCodes.Status503ServiceUnavailable);

    public static IResult Ok<T>(T value) => Results.Json(value, ManagementJson.TypeInfo<T>());
}
