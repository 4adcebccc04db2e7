using System.Reflection;

namespace Replicator.ServiceNode.Management;

internal static class ServiceNodeVersion
{
    public static string Current { get; } =
        typeof(ServiceNodeVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion?.Split('+')[0]
        ?? typeof(ServiceNodeVersion).Assembly.GetName().Version?.ToString() ?? "unknown";
}
