using System.CommandLine;
using System.Globalization;
using Replicator.Hosting.Authentication;
using Replicator.Hosting.Management;
using Replicator.Hosting.Management.Cli;
using Replicator.ServiceNode.Configuration;
using Replicator.ServiceNode.Registry;

namespace Replicator.ServiceNode.Management.Cli;

/// <summary>
/// The <c>vxsnd</c> command line: no subcommand runs the daemon (<c>--config FILE</c> plus
/// <c>--ServiceNode:Key=value</c> overrides); <c>fdb</c>, <c>fdb add|del|load</c> and <c>status</c>
/// talk to a running daemon over its management socket; <c>withdraw-anycast</c> cleans up after one;
/// <c>keygen</c> writes a new key file.
/// </summary>
internal static class ServiceNodeCommandLine
{
    public const string ToolName = "vxsnd";

    /// <param name="runDaemon">Runs the daemon with the config file and the remaining (configuration) arguments.</param>
    public static RootCommand Create(DaemonRun runDaemon)
    {
        var cli = new DaemonCommandLine(ToolName, ServiceNodeOptions.SectionName, new ServiceNodeOptions().ManagementSocket);
        return cli.CreateRoot("vxsnd: Replicator service node (VXLAN registry, peer lists, BUM replication)", runDaemon,
            Fdb(cli), Status(cli), WithdrawAnycastCommand.Create(cli), KeygenCommand.Create(ToolName), BgpCommand.Create(cli));
    }

    private static Command Fdb(DaemonCommandLine cli)
    {
        var socket = cli.SocketOption();
        var vni = new Option<string?>("--vni") { Description = "Only this VNI", HelpName = "N" };
        var json = CliCommandLine.JsonOption();
        var fdb = new Command("fdb", "Show the registry: VNI, address, remaining hold time (or STATIC), node id, source") { socket, vni, json };
        fdb.SetAction(async (parse, ct) =>
        {
            string path = "/fdb";
            if (parse.GetValue(vni) is { } v)
            {
                if (!StaticEntriesFormat.TryParseVni(v, out uint n)) throw new CliUsageException($"'{v}' is not a VNI (0-{RegistryLimits.MaxVni})");
                path += $"?vni={n}";
            }
            using var client = cli.Client(parse, socket);
            var entries = await client.GetAsync<List<FdbEntryResponse>>(path, ct);
            var output = parse.InvocationConfiguration.Output;
            if (parse.GetValue(json)) JsonOutput.Write(output, entries);
            else TableWriter.Write(output, ["VNI", "ADDRESS", "HOLD", "NODE", "SOURCE"], entries.Select(e => (IReadOnlyList<string>)
            [
                e.Vni.ToString(CultureInfo.InvariantCulture),
                e.Address,
                e.HoldRemaining is { } h ? h.ToString("0.0", CultureInfo.InvariantCulture) + "s" : "STATIC",
                e.NodeId ?? "-",
                e.Source,
            ]));
            return 0;
        });
        fdb.Add(FdbAdd(cli));
        fdb.Add(FdbDel(cli));
        fdb.Add(FdbLoad(cli));
        return fdb;
    }

    private static (Argument<string> Vni, Argument<string> Address) EntryArguments() =>
        (new Argument<string>("VNI") { Description = "VXLAN network identifier, 0-16777215" },
         new Argument<string>("ADDRESS") { Description = "VTEP address, IPv4 or IPv6" });

    private static StaticEntryRequest ParseEntry(ParseResult parse, Argument<string> vni, Argument<string> address)
    {
        string v = parse.GetValue(vni)!;
        string a = parse.GetValue(address)!;
        if (!StaticEntriesFormat.TryParseVni(v, out uint n)) throw new CliUsageException($"'{v}' is not a VNI (0-{RegistryLimits.MaxVni})");
        if (!VtepAddress.TryParse(a, out var parsed) || parsed.IsUnusable) throw new CliUsageException($"'{a}' is not a unicast IPv4 or IPv6 address");
        return new StaticEntryRequest(n, parsed.ToString());
    }

    private static Command FdbAdd(DaemonCommandLine cli)
    {
        var socket = cli.SocketOption();
        var (vni, address) = EntryArguments();
        var add = new Command("add", "Add a static entry (never ages, kept across restarts)") { vni, address, socket };
        add.SetAction(async (parse, ct) =>
        {
            var entry = ParseEntry(parse, vni, address);
            using var client = cli.Client(parse, socket);
            await client.SendAsync(HttpMethod.Post, "/fdb/static", entry, ct);
            return 0;
        });
        return add;
    }

    private static Command FdbDel(DaemonCommandLine cli)
    {
        var socket = cli.SocketOption();
        var (vni, address) = EntryArguments();
        var del = new Command("del", "Delete a static entry") { vni, address, socket };
        del.SetAction(async (parse, ct) =>
        {
            var entry = ParseEntry(parse, vni, address);
            using var client = cli.Client(parse, socket);
            await client.SendAsync(HttpMethod.Delete, $"/fdb/static?vni={entry.Vni}&address={Uri.EscapeDataString(entry.Address)}", null, ct);
            return 0;
        });
        return del;
    }

    private static Command FdbLoad(DaemonCommandLine cli)
    {
        var socket = cli.SocketOption();
        var file = new Argument<string>("FILE") { Description = "Lines 'VNI ADDRESS'; # comments and blank lines allowed" };
        var load = new Command("load", "Replace ALL static entries with the file's, validated as a whole before anything changes") { file, socket };
        load.SetAction(async (parse, ct) =>
        {
            string path = parse.GetValue(file)!;
            string text;
            try
            {
                text = await File.ReadAllTextAsync(path, ct);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new CliUsageException($"cannot read {path}: {ex.Message}");
            }
            IReadOnlyList<StaticEntry> entries;
            try
            {
                entries = StaticEntriesFormat.Parse(text, path);
            }
            catch (FormatException ex)
            {
                throw new CliUsageException(ex.Message);
            }
            using var client = cli.Client(parse, socket);
            await client.SendAsync(HttpMethod.Put, "/fdb/static", entries.Select(e => new StaticEntryRequest(e.Vni, e.Address.ToString())).ToList(), ct);
            return 0;
        });
        return load;
    }

    private static Command Status(DaemonCommandLine cli)
    {
        var socket = cli.SocketOption();
        var json = CliCommandLine.JsonOption();
        var status = new Command("status", "Show version, addresses and ports, counts, uptime") { socket, json };
        status.SetAction(async (parse, ct) =>
        {
            using var client = cli.Client(parse, socket);
            var s = await client.GetAsync<StatusResponse>("/status", ct);
            var output = parse.InvocationConfiguration.Output;
            if (parse.GetValue(json))
            {
                JsonOutput.Write(output, s);
                return 0;
            }
            TableWriter.Write(output, ["FIELD", "VALUE"],
            [
                ["version", s.Version],
                ["control", $"{s.ControlAddress} port {s.ControlPort} (UDP){(s.ControlAnycastAddress is { } a ? $"; VTEPs answered from {a}" : "")}"],
                ["management", s.ManagementSocket],
                ["metrics", string.IsNullOrEmpty(s.MetricsEndpoint) ? "-" : s.MetricsEndpoint],
                ["entries", $"{s.Entries} ({string.Join(", ", s.EntriesBySource.Select(kv => $"{kv.Key} {kv.Value}"))})"],
                ["vnis", s.Vnis.ToString(CultureInfo.InvariantCulture)],
                ["registrations", s.RegistrationsReceived.ToString(CultureInfo.InvariantCulture)],
                ["peer lists pushed", s.PeerListsPushed.ToString(CultureInfo.InvariantCulture)],
                ["control dropped", s.ControlDropped.ToString(CultureInfo.InvariantCulture)],
                ["uptime", TimeSpan.FromSeconds(Math.Floor(s.UptimeSeconds)).ToString("c", CultureInfo.InvariantCulture)],
                ["authentication", AuthenticationStatusText.Describe(s.Authentication)],
            ]);
            if (s.Cluster is { } cluster) Cluster.ClusterStatusText.Write(output, cluster);
            return 0;
        });
        return status;
    }
}
