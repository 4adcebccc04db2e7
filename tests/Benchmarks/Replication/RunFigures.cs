namespace Replicator.Benchmarks.Replication;

/// <summary>
/// What one implementation did in one configuration (medians over the runs, each figure on its own).
/// </summary>
/// <param name="Threads">The replicator's replicating threads (vxsnd's workers; 1 for the C and Python programs).</param>
/// <param name="CopiesPerSecond">Copies the sink counted per second.</param>
/// <param name="CpuNsPerCopy">The replicator's CPU time (user + system) over the copies the sink counted.</param>
/// <param name="CpuShare">The replicator's CPU time over wall time: 1.0 = one core busy all the time.</param>
/// <param name="GeneratorCpuShare">The generator's CPU time over wall time (it has CPU 0).</param>
/// <param name="OfferedPerSecond">Datagrams the generator sent per second.</param>
/// <param name="QueueDropsPerSecond">Datagrams the replicator's receive queue(s) dropped per second because they were full.</param>
/// <param name="FirstWorkerShare">The share of the datagrams worker 0 received (vxsnd with more than one worker), else null.</param>
/// <param name="AllocatedBytesPerDatagram">Managed bytes the process allocated per datagram while it ran (in-process only), else null.</param>
internal sealed record RunFigures(
    int Threads, double CopiesPerSecond, double CpuNsPerCopy, double CpuShare, double GeneratorCpuShare,
    double OfferedPerSecond, double QueueDropsPerSecond, double? FirstWorkerShare, double? AllocatedBytesPerDatagram)
{
    /// <summary>
    /// The generator is the limit when the replicator took everything it was offered: fewer than 1% of
    /// the offered datagrams were dropped at its receive queue. Then the replicator could have done
    /// more, and its copies/s is a lower bound of what it can do.
    /// </summary>
    public bool GeneratorLimited => QueueDropsPerSecond < 0.01 * OfferedPerSecond;

    /// <summary>
    /// What limited the run: the generator (see <see cref="GeneratorLimited"/>); the replicator, when
    /// its receive queue overflowed while its threads were busy at least 90% of the time;
    /// "shared" when its threads outnumber the CPUs the generator leaves (a worker on the
    /// generator's CPU) and the two together kept their CPUs 90% busy; else the machine: it dropped
    /// with CPU time left, so its threads were waiting for a CPU (other load).
    /// </summary>
    public string Limit =>
        GeneratorLimited ? "generator"
        : CpuShare >= 0.9 * Threads ? "replicator"
        : Threads >= Environment.ProcessorCount && CpuShare + GeneratorCpuShare >= 0.9 * Threads ? "shared"
        : "machine";

    public static RunFigures Median(IReadOnlyList<RunFigures> runs)
    {
        double M(Func<RunFigures, double> f) => MedianOf(runs.Select(f));
        double? N(Func<RunFigures, double?> f) => runs.All(r => f(r) is not null) ? MedianOf(runs.Select(r => f(r)!.Value)) : null;
        return new RunFigures(runs[0].Threads, M(r => r.CopiesPerSecond), M(r => r.CpuNsPerCopy), M(r => r.CpuShare), M(r => r.GeneratorCpuShare),
            M(r => r.OfferedPerSecond), M(r => r.QueueDropsPerSecond), N(r => r.FirstWorkerShare), N(r => r.AllocatedBytesPerDatagram));
    }

    private static double MedianOf(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
