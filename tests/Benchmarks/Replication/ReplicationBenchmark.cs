using System.Globalization;
using System.Net;
using Replicator.ServiceNode.Addresses;

namespace Replicator.Benchmarks.Replication;

/// <summary>
/// <c>dotnet run -c Release --project tests/Benchmarks -- replication [--runs 3] [--seconds 1]
/// [--fanouts 8,64] [--sizes 64,1400] [--workers 1,2] [--transmit packet,packet-mmsg,raw] [--families 4,6]
/// [--no-baseline] [--no-reference] [--own-check]</c>
/// <para>
/// In a namespace it creates: the replicator under test listens on 192.0.2.1:4789 (IPv6:
/// [2001:db8::1]:4789) on loopback, a C generator on CPU 0 sends VXLAN datagrams for VNI 100 from
/// 192.0.2.2 (2001:db8::2), and the FANOUT destinations 203.0.113.1..FANOUT (2001:db8:100::1..)
/// are routed out of an ifb device, with permanent neighbour entries, which discards each copy and
/// counts it, so no receiving process limits the figure. Each configuration runs vxsnd's workers
/// per transmit path (<c>vxsnd-packet/W</c>, <c>vxsnd-raw/W</c>), the C raw-socket reference
/// (<c>c-raw</c>, reference.c), the C AF_PACKET reference (<c>c-packet</c>, reference_packet.c, and
/// <c>c-packet-ring</c>, the same with a PACKET_TX_RING),
/// both compiled here with gcc, and over IPv4 the vxfld-style Python baseline (<c>naive</c>); the
/// replicator runs on CPU 1. It reports copies/s, the replicator's CPU time per copy, and what
/// limited the run (see <see cref="DataPlaneMeasurement"/> and <see cref="ResultTable"/>).
/// <c>--own-check</c> also runs vxsnd's raw workers with a set of own addresses (<c>vxsnd-raw/W+own</c>).
/// </para>
/// </summary>
internal static class ReplicationBenchmark
{
    public static int Run(string[] args)
    {
        BenchOptions o;
        try { o = BenchOptions.Parse(args); }
        catch (Exception e) when (e is FormatException or ArgumentException or IndexOutOfRangeException)
        {
            Console.Error.WriteLine($"replication: {e.Message}");
            return 2;
        }
        if (Environment.UserName != "root")
        {
            Console.Error.WriteLine("replication: needs root (network namespace, raw and packet sockets)");
            return 2;
        }
        string dir = Path.Combine(Path.GetTempPath(), $"rpl-dpbench-{Environment.ProcessId}");
        Directory.CreateDirectory(dir);
        var results = new List<Measured>();
        try
        {
            string source = Path.Combine(AppContext.BaseDirectory, "Replication");
            string reference = Path.Combine(dir, "reference");
            string referencePacket = Path.Combine(dir, "reference_packet");
            BenchNamespace.Run(["gcc", "-O2", "-o", reference, Path.Combine(source, "reference.c")], check: true);
            BenchNamespace.Run(["gcc", "-O2", "-o", referencePacket, Path.Combine(source, "reference_packet.c")], check: true);
            string baseline = Path.Combine(source, "naive_baseline.py");

            using var ns = new BenchNamespace();
            BenchTopology.Setup(ns, o.Fanouts.Max());
            string sinkIndex = ns.Read("cat", $"/sys/class/net/{BenchTopology.SinkDevice}/ifindex");
            string sinkMac = ns.Read("cat", $"/sys/class/net/{BenchTopology.SinkDevice}/address");
            string cpu = DataPlaneMeasurement.ReplicatorCpu.ToString(CultureInfo.InvariantCulture);
            Console.WriteLine($"# replication benchmark: {Environment.ProcessorCount} cores, generator on CPU {DataPlaneMeasurement.GeneratorCpu}, replicator on CPU {cpu}, {o.Runs} runs of {o.Seconds} s per figure (median), load average {LoadAverage()}");
            foreach (int family in o.Families)
            {
                var t = BenchTopology.For(family);
                foreach (int fanout in o.Fanouts)
                {
                    foreach (int size in o.Sizes)
                    {
                        Measured M(string name, Func<IReplicatorUnderTest> start) =>
                            DataPlaneMeasurement.Measure(ns, o, reference, t, fanout, size, name, start);
                        foreach (string transmit in o.Transmits)
                        {
                            foreach (int w in o.Workers)
                            {
                                results.Add(M($"vxsnd-{transmit}/{w}", () => new VxsndReplicator(ns, t, fanout, w, DataPlaneMeasurement.ReplicatorCpu, transmit)));
                                if (o.OwnCheck && transmit == "raw")
                                    results.Add(M($"vxsnd-raw/{w}+own", () => new VxsndReplicator(ns, t, fanout, w, DataPlaneMeasurement.ReplicatorCpu, transmit, OwnAddressesOfAHost())));
                            }
                        }
                        string port = BenchTopology.Port.ToString(CultureInfo.InvariantCulture), n = fanout.ToString(CultureInfo.InvariantCulture);
                        if (o.Reference)
                        {
                            results.Add(M("c-raw", () => new ProcessReplicator(ns, DataPlaneMeasurement.ReplicatorCpu, reference, "replicate", t.Service, port, n)));
                            results.Add(M("c-packet", () => new ProcessReplicator(ns, DataPlaneMeasurement.ReplicatorCpu, referencePacket, t.Service, port, n, sinkIndex, sinkMac, BenchTopology.NeighbourMacBase)));
                            results.Add(M("c-packet-ring", () => new ProcessReplicator(ns, DataPlaneMeasurement.ReplicatorCpu, referencePacket, t.Service, port, n, sinkIndex, sinkMac, BenchTopology.NeighbourMacBase, "ring")));
                        }
                        if (o.Baseline && family == 4)
                            results.Add(M("naive", () => new ProcessReplicator(ns, DataPlaneMeasurement.ReplicatorCpu, "/usr/bin/python3", baseline, t.Service, port, n)));
                    }
                }
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
        ResultTable.Print(results);
        Console.WriteLine($"# load average at the end: {LoadAverage()}");
        return 0;
    }

    // A host's worth of own addresses: the namespace's, plus 32 more of each family.
    private static OwnAddresses OwnAddressesOfAHost() => new(new OwnAddressSet(
        [IPAddress.Parse(BenchTopology.IPv4.Service), IPAddress.Parse(BenchTopology.IPv6.Service), IPAddress.Loopback, IPAddress.IPv6Loopback,
         .. Enumerable.Range(1, 32).Select(i => IPAddress.Parse($"198.51.100.{i}")),
         .. Enumerable.Range(1, 32).Select(i => IPAddress.Parse($"2001:db8::{i + 16:x}"))],
        [IPAddress.Parse("198.51.100.255")]));

    private static string LoadAverage()
    {
        try { return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ')[..3]); }
        catch (IOException) { return "?"; }
    }
}
