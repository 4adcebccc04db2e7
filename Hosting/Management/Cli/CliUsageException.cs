namespace Replicator.Hosting.Management.Cli;

/// <summary>Bad input on a CLI subcommand (unparsable VNI, unreadable file); reported as one stderr line, exit code 1.</summary>
public sealed class CliUsageException(string message) : Exception(message);
