using System.Net;
using Replicator.ServiceNode.Addresses;
using Replicator.ServiceNode.Registry;
using Replicator.ServiceNode.Replication;

namespace Replicator.Benchmarks.Replication;

/// <summary>
/// vxsnd's replication workers in this process, their sockets opened in the namespace, worker i
/// pinned to CPU (first + i) mod the CPU count. The CPU time is the workers' threads' own.
/// </summary>
internal sealed class VxsndReplicator : IReplicatorUnderTest
{
    // .NET gives the thread its name "vxsnd-replicate-N"; the kernel keeps the first 15 characters.
    private const string ThreadName = "vxsnd-replicat";

    private readonly List<ReplicationWorker> _workers;
    private readonly int[] _threads;

    public VxsndReplicator(BenchNamespace ns, BenchTopology topology, int fanout, int workers, int firstCpu, string transmit, OwnAddresses? own = null)
    {
        var table = new MemberTable();
        var members = Enumerable.Range(1, fanout).Select(topology.Destination).Append(IPAddress.Parse(topology.Generator));
        table.Publish(new VniMembers(100, members));
        if (transmit != "raw") throw new NotSupportedException($"vxsnd has no {transmit} transmit path in this build");
        var settings = new ReplicationSettings { DataAddress = IPAddress.Parse(topology.Service), DataPort = BenchTopology.Port, Workers = workers };
        int[] before = ProcessorTime.OwnThreads(ThreadName);
        _workers = ns.Enter(() => Enumerable.Range(0, workers).Select(i => new ReplicationWorker(i, settings, table, null, null, own: own)).ToList());
        foreach (var w in _workers) w.Start();
        _threads = WaitForThreads(before, workers);
        for (int i = 0; i < _threads.Length; i++) ProcessorTime.Pin(_threads[i], (firstCpu + i) % Environment.ProcessorCount);
    }

    public bool InProcess => true;

    public long CpuNanoseconds()
    {
        long sum = 0;
        foreach (int tid in _threads) sum += ProcessorTime.ThreadNanoseconds(Environment.ProcessId, tid);
        return sum;
    }

    public long[]? DatagramsPerWorker() => [.. _workers.Select(w => Volatile.Read(ref w.Counters.DatagramsReceived))];

    public void Dispose()
    {
        foreach (var w in _workers) w.Dispose();
    }

    // The workers' threads are the named ones that were not there before they started (started in order: lowest id first).
    private static int[] WaitForThreads(int[] before, int count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            int[] now = [.. ProcessorTime.OwnThreads(ThreadName).Except(before)];
            if (now.Length >= count) return now[..count];
            if (DateTime.UtcNow > deadline) throw new InvalidOperationException($"found {now.Length} of {count} worker threads");
            Thread.Sleep(10);
        }
    }
}
