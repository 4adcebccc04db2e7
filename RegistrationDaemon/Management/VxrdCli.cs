using System.CommandLine;
using Microsoft.Extensions.Configuration;
using Replicator.Hosting.Authentication;
using Replicator.Hosting.Configuration;
using Replicator.Hosting.Management;
using Replicator.Hosting.Management.Cli;
using Replicator.RegistrationDaemon.Daemon;

namespace Replicator.RegistrationDaemon.Management;

/// <summary>
/// The subcommands of <c>vxrd</c> that talk to the running daemon: <c>devices</c>, <c>peers</c>,
/// <c>status</c>, <c>flush</c>, each with <c>--socket PATH</c> (default: ManagementSocket from
/// <c>--config FILE</c>, else /run/vxrd.sock); and <c>keygen [FILE]</c>, which writes a new key file.
/// Failures are one stderr line and exit code 1.
/// </summary>
public static class VxrdCli
{
    public const string ToolName = "vxrd";

    private static readonly string[] Commands = ["devices", "peers", "status", "flush", "keygen", "--help", "-h", "-?", "--version"];

    /// <summary>True when the command line asks for a subcommand rather than the daemon.</summary>
    public static bool IsCliCommand(IReadOnlyList<string> args) => args.Count > 0 && Commands.Contains(args[0]);

    public static Task<int> RunAsync(IReadOnlyList<string> args, TextWriter? output = null, TextWriter? error = null, CancellationToken cancellationToken = default)
    {
        var root = new RootCommand("vxrd: Replicator registration daemon. Without a subcommand it runs the daemon (--config FILE, --RegistrationDaemon:Key=value).");
        root.Subcommands.Add(Devices());
        root.Subcommands.Add(Peers());
        root.Subcommands.Add(Status());
        root.Subcommands.Add(Flush());
        root.Subcommands.Add(KeygenCommand.Create(ToolName));
        return CliCommandLine.InvokeAsync(root, args, ToolName, output, error, cancellationToken);
    }

    private static Command Devices()
    {
        var (config, socket, json) = (CliCommandLine.ConfigOption(), Socket(), CliCommandLine.JsonOption());
        var command = new Command("devices", "Every link vxrd sees, and why it is managed or ignored") { config, socket, json };
        command.SetAction(async (parse, ct) =>
        {
            using var client = Client(parse, config, socket);
            var devices = await client.GetAsync<List<DeviceView>>("/devices", ct);
            var output = parse.InvocationConfiguration.Output;
            if (parse.GetValue(json)) JsonOutput.Write(output, devices);
            else TableWriter.Write(output, ["DEVICE", "INDEX", "VNI", "LOCAL", "STATE", "MANAGED", "DESTINATIONS"],
                devices.Select(d => (IReadOnlyList<string>)[d.Name, d.IfIndex.ToString(), d.Vni?.ToString() ?? "-", d.Local ?? "-",
                    d.Up ? "up" : "down", d.Managed ? "yes" : $"no ({d.Reason})", d.Destinations.Count == 0 ? "-" : string.Join(",", d.Destinations)]));
            return 0;
        });
        return command;
    }

    private static Command Peers()
    {
        var (config, socket, json) = (CliCommandLine.ConfigOption(), Socket(), CliCommandLine.JsonOption());
        var vni = new Option<uint?>("--vni") { Description = "Only this VNI", HelpName = "N" };
        var command = new Command("peers", "Members of each VNI as the service node reported them") { config, socket, json, vni };
        command.SetAction(async (parse, ct) =>
        {
            uint? only = parse.GetValue(vni);
            if (only > 0xFF_FFFF) throw new CliUsageException($"--vni {only} is not a VNI (0..16777215)");
            using var client = Client(parse, config, socket);
            var peers = await client.GetAsync<List<PeerView>>(only is { } n ? $"/peers?vni={n}" : "/peers", ct);
            var output = parse.InvocationConfiguration.Output;
            if (parse.GetValue(json)) JsonOutput.Write(output, peers);
            else TableWriter.Write(output, ["VNI", "ADDRESS", "ROLE", "PROGRAMMED"],
                peers.Select(p => (IReadOnlyList<string>)[p.Vni.ToString(), p.Address, p.Self ? "self" : "peer", p.Self ? "-" : p.Programmed ? "yes" : "no"]));
            return 0;
        });
        return command;
    }

    private static Command Status()
    {
        var (config, socket, json) = (CliCommandLine.ConfigOption(), Socket(), CliCommandLine.JsonOption());
        var command = new Command("status", "Mode, service node reachability, last contact, counts") { config, socket, json };
        command.SetAction(async (parse, ct) =>
        {
            using var client = Client(parse, config, socket);
            var s = await client.GetAsync<StatusView>("/status", ct);
            var output = parse.InvocationConfiguration.Output;
            if (parse.GetValue(json))
            {
                JsonOutput.Write(output, s);
                return 0;
            }
            string contact = s.LastContact is { } c ? $"{c:yyyy-MM-ddTHH:mm:ssZ} ({s.LastContactAgeSeconds:0.0} s ago)" : "never";
            TableWriter.Write(output, ["KEY", "VALUE"],
            [
                ["version", s.Version],
                ["mode", s.Mode],
                ["service node", $"{s.ServiceNode}:{s.ControlPort}"],
                ["reachable", s.Reachable ? "yes" : $"no ({s.ServiceNodeState.ToLowerInvariant()}; entries kept as they are)"],
                ["last contact", contact],
                ["hold time", $"{s.HoldTimeSeconds:0.###} s, refresh rate {s.RefreshRate}"],
                ["reconcile interval", $"{s.ReconcileIntervalSeconds:0.###} s"],
                ["programming", s.ProgrammingPaused ? "paused (flushed; restart vxrd to resume)" : "active"],
                ["uptime", $"{s.UptimeSeconds:0} s"],
                ["devices", $"{s.DevicesManaged} managed of {s.DevicesSeen} links"],
                ["vnis", s.Vnis.ToString()],
                ["peers", s.Peers.ToString()],
                ["default entries", s.DefaultEntries.ToString()],
                ["registrations", s.Registrations.ToString()],
                ["authentication", AuthenticationStatusText.Describe(s.Authentication)],
            ]);
            return 0;
        });
        return command;
    }

    private static Command Flush()
    {
        var (config, socket) = (CliCommandLine.ConfigOption(), Socket());
        var command = new Command("flush", "Delete the default destinations of every managed device and stop programming until vxrd restarts") { config, socket };
        command.SetAction(async (parse, ct) =>
        {
            using var client = Client(parse, config, socket);
            var result = await client.SendAsync<FlushResult>(HttpMethod.Post, "/flush", null, ct);
            parse.InvocationConfiguration.Output.WriteLine($"flushed {result.Deleted} default destinations; programming paused until vxrd restarts");
            return 0;
        });
        return command;
    }

    private static Option<string> Socket() => CliCommandLine.SocketOption(() => new RegistrationDaemonOptions().ManagementSocket);

    private static ManagementClient Client(ParseResult parse, Option<string?> config, Option<string> socket)
    {
        string path = parse.GetValue(socket)!;
        bool given = parse.GetResult(socket) is { Implicit: false };
        if (!given && parse.GetValue(config) is { } file)
        {
            var configuration = DaemonConfigurationExtensions.BuildDaemonConfiguration(file, []);
            path = configuration[$"{RegistrationDaemonOptions.SectionName}:{nameof(RegistrationDaemonOptions.ManagementSocket)}"] ?? path;
        }
        return new ManagementClient(path, ToolName);
    }
}
