using System.Reflection;

namespace Replicator.Hosting;

/// <summary>
/// The version both daemons report, read once from the assemblies' version attributes (every
/// project takes <c>Version</c> from <c>Directory.Build.props</c>, so they all carry the same one).
/// </summary>
public static class DaemonVersion
{
    /// <summary>The informational version as built, with the source revision when the build knew it (<c>0.1.0+3f2a...</c>); the metrics' <c>service.version</c>.</summary>
    public static string Full { get; } =
        typeof(DaemonVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(DaemonVersion).Assembly.GetName().Version?.ToString(3) ?? "unknown";

    /// <summary>The release (<c>0.1.0</c>): <see cref="Full"/> without the source revision; what <c>status</c> shows.</summary>
    public static string Current { get; } = Full.Split('+')[0];
}
