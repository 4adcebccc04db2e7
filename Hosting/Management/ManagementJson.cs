using System.Text.Json;
using System.Text.Json.Serialization;

namespace Replicator.Hosting.Management;

/// <summary>The JSON conventions of the management API and of <c>--json</c> CLI output, shared by server and client.</summary>
public static class ManagementJson
{
    /// <summary>camelCase names, enums as camelCase strings, nulls omitted, indented (humans read <c>--json</c> too).</summary>
    public static JsonSerializerOptions Options { get; } = Configure(new JsonSerializerOptions(JsonSerializerDefaults.Web));

    /// <summary>Applies the conventions to <paramref name="options"/> (used for the server's HTTP JSON options).</summary>
    public static JsonSerializerOptions Configure(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        options.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
        options.WriteIndented = true;
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
        return options;
    }
}
