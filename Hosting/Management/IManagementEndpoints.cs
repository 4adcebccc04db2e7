using Microsoft.AspNetCore.Routing;

namespace Replicator.Hosting.Management;

/// <summary>
/// A feature's routes on the management socket. Implementations are resolved from the daemon's
/// container (so they get its services injected) and map their routes on the management server.
/// </summary>
public interface IManagementEndpoints
{
    void Map(IEndpointRouteBuilder endpoints);
}
