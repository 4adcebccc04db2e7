using System.Diagnostics;
using System.Globalization;
using System.Net;
using Replicator.ServiceNode.Addresses;
using Replicator.ServiceNode.Registry;
using Replicator.ServiceNode.Replication;

namespace Replicator.Benchmarks.Replication;

/// <summary>
/// <c>dotnet run -c Release --project tests/Benchmarks -- replication [--runs 3] [--seconds 1]
/// [--fanouts 8,64] [--sizes 64,1400] [--workers 1,2] [--no-baseline] [--no-reference] [--own-check]</c>
/// <para>
/// In a namespace it creates: the replicator under test listens on 192.0.2.1:4789 (loopback), a C
/// generator sends VXLAN datagrams for VNI 100 from 192.0.2.2, and the FANOUT destinations
/// 203.0.113.1..FANOUT are routed out of an ifb device, which discards them and counts each one,
/// so no receiving process limits the figure. Copies/s is read from that counter; datagrams/s is
/// copies/s divided by the fan-out. Each configuration runs vxsnd's workers, the hand-written C
/// reference (recvmmsg/sendmmsg + raw IP_HDRINCL, compiled here with gcc) and the vxfld-style
/// Python baseline (one recvfrom, one sendto per copy), and prints the median of the runs.
/// <c>--own-check</c> also runs vxsnd's workers with a set of own addresses (<c>vxsnd/W+own</c>:
/// the per-datagram own-source check), right after the same workers without one.
/// </para>
/// </summary>
internal static class ReplicationBenchmark
{
    private const string Device = "ifb0";
    private const string ServiceAddress = "192.0.2.1";
    private const string GeneratorAddress = "192.0.2.2";
    private const int Port = 4789;

    private sealed record Options(int Runs, double Seconds, int[] Fanouts, int[] Sizes, int[] Workers, bool Baseline, bool Reference, bool OwnCheck = false);

    private sealed record Result(int Fanout, int Inner, string Implementation, double CopiesPerSecond);

    public static int Run(string[] args)
    {
        Options o;
        try { o = Parse(args); }
        catch (Exception e) when (e is FormatException or ArgumentException or IndexOutOfRangeException)
        {
            Console.Error.WriteLine($"replication: {e.Message}");
            return 2;
        }
        if (Environment.UserName != "root")
        {
            Console.Error.WriteLine("replication: needs root (network namespace, raw sockets)");
            return 2;
        }
        string dir = Path.Combine(Path.GetTempPath(), $"rpl-dpbench-{Environment.ProcessId}");
        Directory.CreateDirectory(dir);
        string source = Path.Combine(AppContext.BaseDirectory, "Replication");
        string reference = Path.Combine(dir, "reference");
        BenchNamespace.Run(["gcc", "-O2", "-o", reference, Path.Combine(source, "reference.c")], check: true);
        string baseline = Path.Combine(source, "naive_baseline.py");

        var results = new List<Result>();
        using (var ns = new BenchNamespace())
        {
            Setup(ns);
            Console.WriteLine($"# replication benchmark: {Environment.ProcessorCount} cores, {o.Runs} runs of {o.Seconds} s per figure (median), load average {LoadAverage()}");
            foreach (int fanout in o.Fanouts)
            {
                foreach (int size in o.Sizes)
                {
                    foreach (int w in o.Workers)
                    {
                        results.Add(Measure(ns, o, fanout, size, $"vxsnd/{w}", () => StartVxsnd(ns, fanout, w)));
                        if (o.OwnCheck) results.Add(Measure(ns, o, fanout, size, $"vxsnd/{w}+own", () => StartVxsnd(ns, fanout, w, own: true)));
                    }
                    if (o.Reference) results.Add(Measure(ns, o, fanout, size, "c-reference", () => StartProcess(ns, reference, "replicate", ServiceAddress, $"{Port}", $"{fanout}")));
                    if (o.Baseline) results.Add(Measure(ns, o, fanout, size, "naive", () => StartProcess(ns, "/usr/bin/python3", baseline, ServiceAddress, $"{Port}", $"{fanout}")));
                }
            }
        }
        Directory.Delete(dir, recursive: true);
        Print(results);
        return 0;
    }

    private static Options Parse(string[] args)
    {
        var o = new Options(3, 1.0, [8, 64], [64, 1400], [1, 2], true, true);
        for (int i = 0; i < args.Length; i++)
        {
            int[] Ints() => args[++i].Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
            o = args[i] switch
            {
                "--runs" => o with { Runs = int.Parse(args[++i], CultureInfo.InvariantCulture) },
                "--seconds" => o with { Seconds = double.Parse(args[++i], CultureInfo.InvariantCulture) },
                "--fanouts" => o with { Fanouts = Ints() },
                "--sizes" => o with { Sizes = Ints() },
                "--workers" => o with { Workers = Ints() },
                "--no-baseline" => o with { Baseline = false },
                "--no-reference" => o with { Reference = false },
                "--own-check" => o with { OwnCheck = true },
                _ => throw new ArgumentException($"unknown option {args[i]}"),
            };
        }
        if (o.Fanouts.Any(f => f is < 1 or > 250)) throw new ArgumentException("fan-outs must be 1..250");
        return o;
    }

    private static void Setup(BenchNamespace ns)
    {
        ns.Exec("ip", "link", "set", "lo", "up");
        ns.Exec("ip", "addr", "add", $"{ServiceAddress}/32", "dev", "lo");
        ns.Exec("ip", "addr", "add", $"{GeneratorAddress}/32", "dev", "lo");
        // No dummy module here; an ifb device without a tc redirect discards and counts what it is given.
        ns.Exec("ip", "link", "add", Device, "type", "ifb");
        ns.Exec("ip", "link", "set", Device, "txqueuelen", "10000", "up");
        if (!ns.TryExec("tc", "qdisc", "replace", "dev", Device, "root", "noqueue"))
            Console.Error.WriteLine("  (noqueue not accepted on ifb0; keeping its qdisc with txqueuelen 10000)");
        ns.Exec("ip", "route", "add", "203.0.113.0/24", "dev", Device);
    }

    private static Result Measure(BenchNamespace ns, Options o, int fanout, int inner, string name, Func<IDisposable> start)
    {
        var figures = new List<double>();
        for (int run = 0; run < o.Runs; run++)
        {
            using var replicator = start();
            Thread.Sleep(300); // let it bind
            // Offer more than any implementation can replicate (about 3 million copies/s), over 8
            // source ports so SO_REUSEPORT spreads the datagrams over several workers.
            double rate = 3_000_000.0 / fanout;
            var generator = ns.Start(Path.Combine(Path.GetTempPath(), $"rpl-dpbench-{Environment.ProcessId}", "reference"),
                "generate", GeneratorAddress, ServiceAddress, $"{Port}", $"{inner}", rate.ToString(CultureInfo.InvariantCulture), "8", "100");
            try
            {
                Thread.Sleep(500); // warm up (JIT, caches, neighbour entries)
                long before = ns.PacketsSunk(Device);
                var clock = Stopwatch.StartNew();
                Thread.Sleep(TimeSpan.FromSeconds(o.Seconds));
                long after = ns.PacketsSunk(Device);
                double seconds = clock.Elapsed.TotalSeconds;
                figures.Add((after - before) / seconds);
            }
            finally
            {
                BenchNamespace.Stop(generator);
            }
        }
        figures.Sort();
        double median = figures[figures.Count / 2];
        Console.WriteLine($"  fan-out {fanout,3}  inner {inner,4} B  {name,-12} {median / 1e6,6:F3} M copies/s  (runs: {string.Join(", ", figures.Select(f => (f / 1e6).ToString("F3", CultureInfo.InvariantCulture)))})");
        return new Result(fanout, inner, name, median);
    }

    private static IDisposable StartVxsnd(BenchNamespace ns, int fanout, int workers, bool own = false)
    {
        // A host's worth of own addresses: the namespace's, plus 32 more of each family.
        var ownAddresses = own
            ? new OwnAddresses(new OwnAddressSet(
                [IPAddress.Parse(ServiceAddress), IPAddress.Loopback, IPAddress.IPv6Loopback,
                 .. Enumerable.Range(1, 32).Select(i => IPAddress.Parse($"198.51.100.{i}")),
                 .. Enumerable.Range(1, 32).Select(i => IPAddress.Parse($"2001:db8::{i:x}"))],
                [IPAddress.Parse("198.51.100.255")]))
            : null;
        var table = new MemberTable();
        var members = Enumerable.Range(1, fanout).Select(i => IPAddress.Parse($"203.0.113.{i}")).Append(IPAddress.Parse(GeneratorAddress));
        table.Publish(new VniMembers(100, members));
        var settings = new ReplicationSettings { DataAddress = IPAddress.Parse(ServiceAddress), DataPort = Port, Workers = workers };
        var started = ns.Enter(() => Enumerable.Range(0, workers).Select(i => new ReplicationWorker(i, settings, table, null, null, own: ownAddresses)).ToList());
        foreach (var w in started) w.Start();
        return new Disposer(() => { foreach (var w in started) w.Dispose(); });
    }

    private static IDisposable StartProcess(BenchNamespace ns, params string[] args)
    {
        var p = ns.Start(args);
        return new Disposer(() => BenchNamespace.Stop(p));
    }

    private static void Print(List<Result> results)
    {
        Console.WriteLine();
        Console.WriteLine("| fan-out | inner | implementation | copies/s | datagrams/s | vs C reference | vs naive |");
        Console.WriteLine("|--:|--:|---|--:|--:|--:|--:|");
        foreach (var r in results)
        {
            double? c = results.FirstOrDefault(x => x.Fanout == r.Fanout && x.Inner == r.Inner && x.Implementation == "c-reference")?.CopiesPerSecond;
            double? n = results.FirstOrDefault(x => x.Fanout == r.Fanout && x.Inner == r.Inner && x.Implementation == "naive")?.CopiesPerSecond;
            string Ratio(double? d) => d is > 0 ? $"{r.CopiesPerSecond / d.Value:F2}x" : "-";
            Console.WriteLine($"| {r.Fanout} | {r.Inner} B | {r.Implementation} | {r.CopiesPerSecond / 1e6:F3} M | {r.CopiesPerSecond / r.Fanout / 1e3:F1} k | {Ratio(c)} | {Ratio(n)} |");
        }
    }

    private static string LoadAverage()
    {
        try { return File.ReadAllText("/proc/loadavg").Split(' ')[0]; }
        catch (IOException) { return "?"; }
    }

    private sealed class Disposer(Action action) : IDisposable
    {
        public void Dispose() => action();
    }
}
