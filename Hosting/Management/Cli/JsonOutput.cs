using System.Text.Json;

namespace Replicator.Hosting.Management.Cli;

/// <summary><c>--json</c> output: the same shape as the management API, indented, one document.</summary>
public static class JsonOutput
{
    public static void Write<T>(TextWriter output, T value)
    {
        ArgumentNullException.ThrowIfNull(output);
        output.WriteLine(JsonSerializer.Serialize(value, ManagementJson.TypeInfo<T>()));
    }
}
