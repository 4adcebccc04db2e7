namespace Replicator.Hosting.Management.Cli;

/// <summary>Runs a daemon with its configuration file (or none) and the <c>--Section:Key=value</c> overrides; returns the exit code.</summary>
public delegate Task<int> DaemonRun(string? configFile, IReadOnlyList<string> configArgs, CancellationToken cancellationToken);
