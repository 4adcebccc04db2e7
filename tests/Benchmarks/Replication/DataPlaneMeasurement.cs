using System.Diagnostics;
using System.Globalization;

namespace Replicator.Benchmarks.Replication;

/// <summary>One implementation in one configuration, with its runs and their medians.</summary>
internal sealed record Measured(int Family, int Fanout, int Inner, string Implementation, RunFigures Median, IReadOnlyList<RunFigures> Runs);

/// <summary>
/// Runs one replicator against the generator and reads what happened: the generator runs on CPU 0,
/// the replicator on CPU 1 (vxsnd's worker i on CPU (1 + i) mod CPUs, so a second worker shares
/// CPU 0 with the generator on a 2-core machine); after a warm-up, every counter is read before
/// and after a window of <see cref="BenchOptions.Seconds"/>.
/// </summary>
internal static class DataPlaneMeasurement
{
    public const int GeneratorCpu = 0;
    public const int ReplicatorCpu = 1;

    // More than any implementation here replicates, so the generator sends as fast as it can
    // unless the replicator is the limit (up to the rate that offers this many copies).
    private const double OfferedCopiesPerSecond = 8_000_000;

    public static Measured Measure(BenchNamespace ns, BenchOptions o, string generator, BenchTopology t, int fanout, int inner, string name, Func<IReplicatorUnderTest> start)
    {
        var runs = new List<RunFigures>();
        for (int run = 0; run < o.Runs; run++)
        {
            using var replicator = start();
            Thread.Sleep(300); // let it bind
            // 8 source ports, so SO_REUSEPORT spreads the datagrams over the workers.
            var g = ns.Start("taskset", "-c", GeneratorCpu.ToString(CultureInfo.InvariantCulture), generator, "generate", t.Generator, t.Service,
                BenchTopology.Port.ToString(CultureInfo.InvariantCulture), inner.ToString(CultureInfo.InvariantCulture),
                (OfferedCopiesPerSecond / fanout).ToString(CultureInfo.InvariantCulture), "8", "100");
            try
            {
                Thread.Sleep(500); // warm up (JIT, caches)
                runs.Add(Window(ns, o, t, replicator, g.Id));
            }
            finally
            {
                BenchNamespace.Stop(g);
            }
        }
        var median = RunFigures.Median(runs);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {t.Name} fan-out {fanout,3} inner {inner,4} B {name,-15} {median.CopiesPerSecond / 1e6,6:F3} M copies/s {median.CpuNsPerCopy,6:F0} ns/copy  cpu {median.CpuShare:F2}  generator: cpu {median.GeneratorCpuShare:F2}, {median.OfferedPerSecond / 1e3:F0} k/s offered, {median.QueueDropsPerSecond / 1e3:F0} k/s dropped at the queue, limit: {median.Limit}  (runs: {string.Join(", ", runs.Select(r => $"{r.CopiesPerSecond / 1e6:F3} M {r.CpuNsPerCopy:F0} ns"))})"));
        return new Measured(t.Family, fanout, inner, name, median, runs);
    }

    private static RunFigures Window(BenchNamespace ns, BenchOptions o, BenchTopology t, IReplicatorUnderTest replicator, int generatorPid)
    {
        long sink0 = ns.PacketsSunk(BenchTopology.SinkDevice);
        var udp0 = ns.ReadUdp(t.Family);
        long[]? workers0 = replicator.DatagramsPerWorker();
        long cpu0 = replicator.CpuNanoseconds();
        long gen0 = ProcessorTime.ProcessNanoseconds(generatorPid);
        // Innermost, so the benchmark's own reads are outside it: during the window this process
        // runs only the workers (and the runtime's idle background threads).
        var clock = new Stopwatch();
        long alloc0 = GC.GetTotalAllocatedBytes(precise: true);
        clock.Start();
        Thread.Sleep(TimeSpan.FromSeconds(o.Seconds));
        double seconds = clock.Elapsed.TotalSeconds;
        long alloc1 = GC.GetTotalAllocatedBytes(precise: true);
        long cpu1 = replicator.CpuNanoseconds();
        long gen1 = ProcessorTime.ProcessNanoseconds(generatorPid);
        long[]? workers1 = replicator.DatagramsPerWorker();
        var udp = ns.ReadUdp(t.Family) - udp0;
        long copies = ns.PacketsSunk(BenchTopology.SinkDevice) - sink0;

        double? firstShare = null, allocated = null;
        if (workers0 is not null && workers1 is not null)
        {
            long[] taken = [.. workers1.Zip(workers0, (a, b) => a - b)];
            long all = taken.Sum();
            if (taken.Length > 1 && all > 0) firstShare = (double)taken[0] / all;
            if (replicator.InProcess && all > 0) allocated = (double)(alloc1 - alloc0) / all;
        }
        return new RunFigures(
            workers1?.Length ?? 1,
            copies / seconds,
            copies > 0 ? (double)(cpu1 - cpu0) / copies : double.NaN,
            (cpu1 - cpu0) / (seconds * 1e9),
            (gen1 - gen0) / (seconds * 1e9),
            udp.Sent / seconds,
            udp.QueueFull / seconds,
            firstShare,
            allocated);
    }
}
