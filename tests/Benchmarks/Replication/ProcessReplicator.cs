using System.Diagnostics;
using System.Globalization;

namespace Replicator.Benchmarks.Replication;

/// <summary>
/// A single-threaded replicator program (the C references, the Python baseline) started on one CPU
/// with taskset inside the namespace (<c>ip netns exec</c> and taskset both exec, so the process
/// id is the program's own).
/// </summary>
internal sealed class ProcessReplicator : IReplicatorUnderTest
{
    private readonly Process _process;

    public ProcessReplicator(BenchNamespace ns, int cpu, params string[] command)
    {
        _process = ns.Start(["taskset", "-c", cpu.ToString(CultureInfo.InvariantCulture), .. command]);
    }

    public bool InProcess => false;

    public long CpuNanoseconds() => ProcessorTime.ProcessNanoseconds(_process.Id);

    public long[]? DatagramsPerWorker() => null;

    public void Dispose() => BenchNamespace.Stop(_process);
}
