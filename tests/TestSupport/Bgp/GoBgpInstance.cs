using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Replicator.TestSupport.Bgp;

/// <summary>
/// gobgpd in a test namespace with a generated TOML configuration and its gRPC API on a port of
/// its own on the namespace's loopback, queried with <c>gobgp -p PORT ... -j</c>. gobgpd writes no
/// pid file and has no daemon mode: we hold its process. Disposing stops it (SIGTERM, SIGKILL after
/// 5 s, waiting for the exit) and removes its directory.
/// </summary>
public sealed class GoBgpInstance : IDisposable
{
    // Ports for the gRPC API: each instance its own, so two in one namespace never collide.
    private static int s_nextPort = 50051 + (Environment.ProcessId % 1000);
    private readonly string _directory;
    private RoutingDaemon? _daemon;

    private GoBgpInstance(NetworkNamespace ns, int apiPort)
    {
        Namespace = ns;
        ApiPort = apiPort;
        _directory = Path.Combine(Path.GetTempPath(), $"gobgp-{ns.Name}-{apiPort}");
    }

    public NetworkNamespace Namespace { get; }

    public int ApiPort { get; }

    /// <summary>
    /// Starts a GoBGP route reflector for <paramref name="clients"/> (all iBGP in <paramref name="asn"/>,
    /// L2VPN/EVPN only) and waits until its API answers.
    /// </summary>
    public static async Task<GoBgpInstance> StartRouteReflectorAsync(NetworkNamespace ns, string routerId, uint asn, IEnumerable<string> clients)
    {
        ArgumentNullException.ThrowIfNull(ns);
        var gobgp = new GoBgpInstance(ns, Interlocked.Increment(ref s_nextPort));
        try
        {
            Directory.CreateDirectory(gobgp._directory);
            string config = Path.Combine(gobgp._directory, "gobgpd.toml");
            File.WriteAllText(config, RouteReflectorConfig(routerId, asn, clients));
            gobgp._daemon = new RoutingDaemon(ns, "gobgpd", BgpTools.GoBgpd,
                ["-f", config, "-p", "--pprof-disable", "--api-hosts", $"127.0.0.1:{gobgp.ApiPort.ToString(CultureInfo.InvariantCulture)}"]);
            await Eventually.Until(() => !gobgp._daemon.HasExited && gobgp.Try("global").ExitCode == 0, $"gobgpd in {ns.Name} answering on {gobgp.ApiPort}",
                TimeSpan.FromSeconds(30), gobgp.Diagnostics).ConfigureAwait(false);
            return gobgp;
        }
        catch
        {
            gobgp.Dispose();
            throw;
        }
    }

    /// <summary>The TOML of a route reflector with static clients (the lab writes the same).</summary>
    public static string RouteReflectorConfig(string routerId, uint asn, IEnumerable<string> clients)
    {
        ArgumentNullException.ThrowIfNull(clients);
        var toml = new StringBuilder();
        toml.Append(CultureInfo.InvariantCulture, $"[global.config]\n  as = {asn}\n  router-id = \"{routerId}\"\n  local-address-list = [\"{routerId}\"]\n");
        foreach (string client in clients)
        {
            toml.Append(CultureInfo.InvariantCulture, $"""
                [[neighbors]]
                  [neighbors.config]
                    neighbor-address = "{client}"
                    peer-as = {asn}
                  [neighbors.timers.config]
                    connect-retry = 2
                    hold-time = 9
                    keepalive-interval = 3
                  [neighbors.route-reflector.config]
                    route-reflector-client = true
                    route-reflector-cluster-id = "{routerId}"
                  [[neighbors.afi-safis]]
                    [neighbors.afi-safis.config]
                      afi-safi-name = "l2vpn-evpn"

                """);
        }
        return toml.ToString();
    }

    /// <summary><c>gobgp neighbor -j</c>: every neighbor with its configuration and state.</summary>
    public JsonNode Neighbors() => Json("neighbor");

    /// <summary><c>gobgp global rib -a evpn -j</c>: the EVPN routes gobgpd holds.</summary>
    public JsonNode EvpnRib() => Json("global", "rib", "-a", "evpn");

    /// <summary>Whether the session with <paramref name="peer"/> is established.</summary>
    public bool IsEstablished(string peer)
    {
        foreach (var n in Neighbors().AsArray())
        {
            if (n?["conf"]?["neighbor_address"]?.ToString() != peer) continue;
            string? state = n["state"]?["session_state"]?.ToString();
            return state is "established" or "ESTABLISHED" or "6";
        }
        return false;
    }

    /// <summary>The originating routers of the type-3 routes in the EVPN table (text output: the JSON one nests the NLRI deeply).</summary>
    public IReadOnlyList<string> Type3Originators()
    {
        // "*> [type:multicast][rd:192.0.2.11:2][etag:0][ip:192.0.2.11]  192.0.2.11 ..."
        var result = new List<string>();
        foreach (string line in Run("global", "rib", "-a", "evpn").Split('\n'))
        {
            int at = line.IndexOf("[type:multicast]", StringComparison.Ordinal);
            if (at < 0) continue;
            int ip = line.IndexOf("[ip:", at, StringComparison.Ordinal);
            if (ip < 0) continue;
            int end = line.IndexOf(']', ip);
            result.Add(line[(ip + 4)..end]);
        }
        return result;
    }

    public string Diagnostics() =>
        $"== gobgpd in {Namespace.Name} (api {ApiPort})\n{(_daemon is null ? "" : Tail(_daemon.Output))}";

    public void Dispose()
    {
        _daemon?.Dispose();
        try
        {
            if (Directory.Exists(_directory)) Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private string Run(params string[] args) => Namespace.Exec(BgpTools.GoBgp, ["-p", ApiPort.ToString(CultureInfo.InvariantCulture), .. args]);

    private Shell.Result Try(params string[] args) => Namespace.Try(BgpTools.GoBgp, ["-p", ApiPort.ToString(CultureInfo.InvariantCulture), .. args]);

    private JsonNode Json(params string[] args) =>
        JsonNode.Parse(Run([.. args, "-j"])) ?? throw new InvalidOperationException($"gobgp {string.Join(' ', args)} returned null");

    private static string Tail(string text) => text.Length <= 4000 ? text : text[^4000..];
}
