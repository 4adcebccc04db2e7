using System.CommandLine;
using Replicator.Hosting.Configuration;

namespace Replicator.Hosting.Management.Cli;

/// <summary>
/// Conventions of the daemons' command lines (see <see cref="DaemonCommandLine"/>): shared
/// options, and one way to run a command line so that every failure (parse error, daemon not running, bad input, rejected request) is ONE
/// line on stderr, prefixed with the tool name, with exit code 1.
/// </summary>
public static class CliCommandLine
{
    /// <summary><c>--json</c>: machine-readable output.</summary>
    public static Option<bool> JsonOption() => new("--json") { Description = "Print JSON instead of a table" };

    /// <summary><c>--config FILE</c>: the daemon's JSON configuration file.</summary>
    public static Option<string?> ConfigOption() => new("--config")
    {
        Description = "JSON configuration file",
        HelpName = "FILE",
        Recursive = true,
    };

    /// <summary>
    /// Parses and invokes <paramref name="root"/>. Parse errors are reported as the first error
    /// only (one line) instead of System.CommandLine's errors-plus-help output.
    /// </summary>
    public static async Task<int> InvokeAsync(RootCommand root, IReadOnlyList<string> args, string toolName, TextWriter? output = null, TextWriter? error = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(root);
        output ??= Console.Out;
        error ??= Console.Error;
        ParseResult parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            await error.WriteLineAsync($"{toolName}: {parsed.Errors[0].Message}");
            return 1;
        }
        // A daemon's root passes unmatched tokens on as configuration overrides, and System.CommandLine
        // then accepts them under every subcommand too; a subcommand has no use for them.
        if (parsed.CommandResult.Command is not RootCommand && parsed.UnmatchedTokens.Count > 0)
        {
            await error.WriteLineAsync($"{toolName}: Unrecognized command or argument '{parsed.UnmatchedTokens[0]}'.");
            return 1;
        }
        var configuration = new InvocationConfiguration
        {
            Output = output,
            Error = error,
            EnableDefaultExceptionHandler = false,
            // The daemon host handles SIGTERM/SIGINT itself (graceful stop); the CLI must not race it.
            ProcessTerminationTimeout = null,
        };
        try
        {
            return await parsed.InvokeAsync(configuration, cancellationToken);
        }
        catch (Exception ex) when (ex is ManagementClientException or CliUsageException or DaemonConfigurationException)
        {
            await error.WriteLineAsync($"{toolName}: {ex.Message.ReplaceLineEndings("; ")}");
            return 1;
        }
    }
}
