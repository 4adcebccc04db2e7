using System.CommandLine;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Replicator.Hosting.Configuration;

namespace Replicator.Hosting.Management.Cli;

/// <summary>
/// The one shape of a daemon's command line, shared by vxsnd and vxrd: a System.CommandLine root in
/// which no subcommand runs the daemon (<c>--config FILE</c>, every other token passed on as a
/// <c>--Section:Key=value</c> override), and subcommands that talk to the running daemon over its
/// management socket (<c>--socket PATH</c>, else <c>Section:ManagementSocket</c> of the
/// configuration, else the default). Run it with <see cref="CliCommandLine.InvokeAsync"/>.
/// </summary>
public sealed class DaemonCommandLine
{
    /// <summary>The key of the management socket's path inside the daemon's section.</summary>
    public const string ManagementSocketKey = "ManagementSocket";

    /// <param name="toolName">The executable's name (<c>vxsnd</c>), prefix of every error line.</param>
    /// <param name="section">The daemon's configuration section (<c>ServiceNode</c>).</param>
    /// <param name="defaultSocket">The management socket when neither <c>--socket</c> nor the configuration names one.</param>
    public DaemonCommandLine(string toolName, string section, string defaultSocket)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(toolName);
        ArgumentException.ThrowIfNullOrWhiteSpace(section);
        ArgumentException.ThrowIfNullOrWhiteSpace(defaultSocket);
        ToolName = toolName;
        Section = section;
        DefaultSocket = defaultSocket;
    }

    public string ToolName { get; }

    public string Section { get; }

    public string DefaultSocket { get; }

    /// <summary><c>--config FILE</c> on the root, seen by every subcommand too.</summary>
    public Option<string?> Config { get; } = CliCommandLine.ConfigOption();

    /// <summary>The root: <paramref name="runDaemon"/> when no subcommand is given, else one of <paramref name="commands"/>.</summary>
    public RootCommand CreateRoot(string description, DaemonRun runDaemon, params IEnumerable<Command> commands)
    {
        ArgumentNullException.ThrowIfNull(runDaemon);
        ArgumentNullException.ThrowIfNull(commands);
        var root = new RootCommand(description)
        {
            // The daemon's --Section:Key=value overrides are not options of the root.
            TreatUnmatchedTokensAsErrors = false,
        };
        root.Add(Config);
        root.SetAction((parse, ct) => runDaemon(parse.GetValue(Config), parse.UnmatchedTokens, ct));
        foreach (var command in commands) root.Add(command);
        return root;
    }

    /// <summary><c>--socket PATH</c> of a subcommand; a new instance per command.</summary>
    public Option<string?> SocketOption() => new("--socket")
    {
        Description = $"Management socket of the running daemon (default: {Section}:{ManagementSocketKey} of the configuration, {DefaultSocket})",
        HelpName = "PATH",
    };

    /// <summary>The socket a subcommand talks to: <paramref name="socket"/> when given, else <see cref="ConfiguredSocket(IConfiguration)"/> of <c>--config</c>'s file and the environment.</summary>
    public string SocketPath(ParseResult parse, Option<string?> socket)
    {
        ArgumentNullException.ThrowIfNull(parse);
        return parse.GetValue(socket) ?? ConfiguredSocket(DaemonConfigurationExtensions.BuildDaemonConfiguration(parse.GetValue(Config), []));
    }

    /// <summary><c>Section:ManagementSocket</c> of <paramref name="configuration"/>, else the default.</summary>
    public string ConfiguredSocket(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return configuration[$"{Section}:{ManagementSocketKey}"] ?? DefaultSocket;
    }

    /// <summary>A client of the running daemon's management API (see <see cref="SocketPath"/>).</summary>
    public ManagementClient Client(ParseResult parse, Option<string?> socket) => new(SocketPath(parse, socket), ToolName);

    /// <summary>
    /// The run-the-daemon action: builds the host with <paramref name="createBuilder"/> and runs it
    /// (<see cref="DaemonHost.RunAsync"/>). A configuration error while composing is printed as
    /// <see cref="DaemonHost.WriteConfigurationErrors"/> does, exit code 1.
    /// </summary>
    public static async Task<int> RunDaemonAsync(string toolName, Func<HostApplicationBuilder> createBuilder, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(createBuilder);
        HostApplicationBuilder builder;
        try
        {
            builder = createBuilder();
        }
        catch (DaemonConfigurationException ex)
        {
            DaemonHost.WriteConfigurationErrors(Console.Error, toolName, ex.Errors);
            return 1;
        }
        using var host = builder.Build();
        return await DaemonHost.RunAsync(host, toolName, Console.Error, cancellationToken);
    }
}
