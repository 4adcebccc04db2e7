using System.CommandLine;
using Replicator.Hosting.Authentication;
using Replicator.Hosting.Management.Cli;
using Replicator.RegistrationDaemon.Daemon;

namespace Replicator.RegistrationDaemon.Management.Cli;

/// <summary>
/// The <c>vxrd</c> command line: no subcommand runs the daemon (<c>--config FILE</c> plus
/// <c>--RegistrationDaemon:Key=value</c> overrides); <c>devices</c>, <c>peers</c>, <c>status</c> and
/// <c>flush</c> talk to the running daemon over its management socket (<c>--socket PATH</c>, default:
/// ManagementSocket of the configuration, else /run/vxrd.sock); <c>keygen [FILE]</c> writes a new key
/// file. Failures are one stderr line and exit code 1.
/// </summary>
internal static class RegistrationDaemonCommandLine
{
    public const string ToolName = "vxrd";

    /// <param name="runDaemon">Runs the daemon with the config file and the remaining (configuration) arguments.</param>
    public static RootCommand Create(DaemonRun runDaemon)
    {
        var cli = new DaemonCommandLine(ToolName, RegistrationDaemonOptions.SectionName, new RegistrationDaemonOptions().ManagementSocket);
        return cli.CreateRoot("vxrd: Replicator registration daemon. Without a subcommand it runs the daemon (--config FILE, --RegistrationDaemon:Key=value).", runDaemon,
            Devices(cli), Peers(cli), Status(cli), Flush(cli), KeygenCommand.Create(ToolName));
    }

    private static Command Devices(DaemonCommandLine cli)
    {
        var (socket, json) = (cli.SocketOption(), CliCommandLine.JsonOption());
        var command = new Command("devices", "Every link vxrd sees, and why it is managed or ignored") { socket, json };
        command.SetAction(async (parse, ct) =>
        {
            using var client = cli.Client(parse, socket);
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

    private static Command Peers(DaemonCommandLine cli)
    {
        var (socket, json) = (cli.SocketOption(), CliCommandLine.JsonOption());
        var vni = new Option<uint?>("--vni") { Description = "Only this VNI", HelpName = "N" };
        var command = new Command("peers", "Members of each VNI as the service node reported them") { socket, json, vni };
        command.SetAction(async (parse, ct) =>
        {
            uint? only = parse.GetValue(vni);
            if (only > 0xFF_FFFF) throw new CliUsageException($"--vni {only} is not a VNI (0..16777215)");
            using var client = cli.Client(parse, socket);
            var peers = await client.GetAsync<List<PeerView>>(only is { } n ? $"/peers?vni={n}" : "/peers", ct);
            var output = parse.InvocationConfiguration.Output;
            if (parse.GetValue(json)) JsonOutput.Write(output, peers);
            else TableWriter.Write(output, ["VNI", "ADDRESS", "ROLE", "PROGRAMMED"],
                peers.Select(p => (IReadOnlyList<string>)[p.Vni.ToString(), p.Address, p.Self ? "self" : "peer", p.Self ? "-" : p.Programmed ? "yes" : "no"]));
            return 0;
        });
        return command;
    }

    private static Command Status(DaemonCommandLine cli)
    {
        var (socket, json) = (cli.SocketOption(), CliCommandLine.JsonOption());
        var command = new Command("status", "Mode, service node reachability, last contact, counts") { socket, json };
        command.SetAction(async (parse, ct) =>
        {
            using var client = cli.Client(parse, socket);
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

    private static Command Flush(DaemonCommandLine cli)
    {
        var socket = cli.SocketOption();
        var command = new Command("flush", "Delete the default destinations of every managed device and stop programming until vxrd restarts") { socket };
        command.SetAction(async (parse, ct) =>
        {
            using var client = cli.Client(parse, socket);
            var result = await client.SendAsync<FlushResult>(HttpMethod.Post, "/flush", null, ct);
            parse.InvocationConfiguration.Output.WriteLine($"flushed {result.Deleted} default destinations; programming paused until vxrd restarts");
            return 0;
        });
        return command;
    }
}
