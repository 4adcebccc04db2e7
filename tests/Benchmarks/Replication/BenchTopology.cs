using System.Globalization;
using System.Net;

namespace Replicator.Benchmarks.Replication;

/// <summary>
/// The addresses of one address family in the benchmark's namespace: the replicator listens on
/// <see cref="Service"/> (loopback), the generator sends from <see cref="Generator"/>, and the
/// destinations are routed out of the sink device, each with a permanent neighbour entry.
/// </summary>
internal sealed record BenchTopology(int Family, string Service, string Generator, string DestinationPrefix)
{
    public const string SinkDevice = "ifb0";
    public const int Port = 4789;

    /// <summary>Destination i's neighbour MAC is this base with i added to its last byte (reference_packet.c follows the same rule).</summary>
    public const string NeighbourMacBase = "02:00:00:00:01:00";

    public static readonly BenchTopology IPv4 = new(4, "192.0.2.1", "192.0.2.2", "203.0.113.0/24");
    public static readonly BenchTopology IPv6 = new(6, "2001:db8::1", "2001:db8::2", "2001:db8:100::/64");

    public static BenchTopology For(int family) => family == 6 ? IPv6 : IPv4;

    public string Name => Family == 6 ? "IPv6" : "IPv4";

    /// <summary>Destination <paramref name="i"/> (1-based): 203.0.113.i or 2001:db8:100::i, as the C programs number them.</summary>
    public IPAddress Destination(int i) => IPAddress.Parse(Family == 6
        ? $"2001:db8:100::{i.ToString("x", CultureInfo.InvariantCulture)}"
        : $"203.0.113.{i.ToString(CultureInfo.InvariantCulture)}");

    public static string NeighbourMac(int i) => $"02:00:00:00:01:{i.ToString("x2", CultureInfo.InvariantCulture)}";

    /// <summary>
    /// Addresses, the ifb sink and its routes, and a permanent neighbour entry per destination: ifb is
    /// NOARP, and the packet path sends only to destinations whose neighbour entry holds a MAC.
    /// </summary>
    public static void Setup(BenchNamespace ns, int maxFanout)
    {
        ns.Exec("ip", "link", "set", "lo", "up");
        ns.Exec("ip", "link", "add", SinkDevice, "type", "ifb");
        ns.Exec("ip", "link", "set", SinkDevice, "txqueuelen", "10000", "up");
        // An ifb device without a tc redirect discards and counts what it is given (this kernel has no dummy module).
        if (!ns.TryExec("tc", "qdisc", "replace", "dev", SinkDevice, "root", "noqueue"))
            Console.Error.WriteLine("  (noqueue not accepted on ifb0; keeping its qdisc with txqueuelen 10000)");
        // One ip -batch (its lines take no family option; each address gives its own).
        var batch = new List<string>();
        foreach (var t in new[] { IPv4, IPv6 })
        {
            string nodad = t.Family == 6 ? " nodad" : "";
            batch.Add($"addr add {t.Service}/{(t.Family == 6 ? 128 : 32)} dev lo{nodad}");
            batch.Add($"addr add {t.Generator}/{(t.Family == 6 ? 128 : 32)} dev lo{nodad}");
            batch.Add($"route add {t.DestinationPrefix} dev {SinkDevice}");
            for (int i = 1; i <= maxFanout; i++)
                batch.Add($"neigh replace {t.Destination(i)} lladdr {NeighbourMac(i)} dev {SinkDevice} nud permanent");
        }
        string file = Path.Combine(Path.GetTempPath(), $"{ns.Name}.ip-batch");
        File.WriteAllLines(file, batch);
        try { ns.Exec("ip", "-batch", file); }
        finally { File.Delete(file); }
    }
}
