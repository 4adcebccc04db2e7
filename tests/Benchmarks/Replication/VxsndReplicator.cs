using System.Net;
using Replicator.ServiceNode.Addresses;
using Replicator.ServiceNode.Registry;
using Replicator.ServiceNode.Replication;
using Replicator.ServiceNode.Replication.NextHops;

namespace Replicator.Benchmarks.Replication;

/// <summary>
/// vxsnd's replication workers in this process, their sockets opened in the namespace, worker i
/// pinned to CPU (first + i) mod the CPU count. With <c>packet</c> they send through
/// <c>Transmit=Packet</c> with next hops from a real <see cref="NextHopTracker"/> in the namespace
/// (its thread is not pinned and not counted: it works only when a route, neighbour or link
/// changes); the replicator starts only once the tracker reports every destination usable. The
/// CPU time is the workers' threads' own.
/// </summary>
internal sealed class VxsndReplicator : IReplicatorUnderTest
{
    // .NET gives the thread its name "vxsnd-replicate-N"; the kernel keeps the first 15 characters.
    private const string ThreadName = "vxsnd-replicat";

    private readonly string _name;
    private readonly NextHopTracker? _tracker;
    private readonly List<ReplicationWorker> _workers;
    private readonly int[] _threads;

    public VxsndReplicator(BenchNamespace ns, BenchTopology topology, int fanout, int workers, int firstCpu, string transmit, OwnAddresses? own = null)
    {
        _name = $"vxsnd-{transmit}/{workers}";
        var table = new MemberTable();
        var destinations = Enumerable.Range(1, fanout).Select(topology.Destination).ToList();
        table.Publish(new VniMembers(100, destinations.Append(IPAddress.Parse(topology.Generator))));
        // "packet" is the option's default (TX rings); "packet-mmsg" is PacketRingFrames=0 (sendmmsg on the packet socket).
        bool packet = transmit is "packet" or "packet-mmsg";
        var settings = new ReplicationSettings
        {
            DataAddress = IPAddress.Parse(topology.Service),
            DataPort = BenchTopology.Port,
            Workers = workers,
            Transmit = packet ? TransmitPath.Packet : TransmitPath.Raw,
            PacketRingFrames = transmit == "packet-mmsg" ? 0 : ReplicationOptions.DefaultPacketRingFrames,
        };
        int[] before = ProcessorTime.OwnThreads(ThreadName);
        try
        {
            if (packet)
            {
                _tracker = ns.Enter(() =>
                {
                    var t = new NextHopTracker(table);
                    t.Start(); // from the namespace's thread, so the tracker's thread lives there too
                    return t;
                });
                WaitUntilUsable(_tracker, destinations);
            }
            _workers = ns.Enter(() => Enumerable.Range(0, workers).Select(i => new ReplicationWorker(i, settings, table, null, null, own: own, nextHops: _tracker)).ToList());
        }
        catch
        {
            _tracker?.Dispose();
            throw;
        }
        if (packet && !_workers.All(w => w.HasPacketPath))
            throw new InvalidOperationException("a worker has no packet socket");
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
        _tracker?.Dispose();
        ReportPaths();
    }

    // Proof of the path measured: copies by path and the packet path's fallbacks, said when not all went the expected way.
    private void ReportPaths()
    {
        long packet = _workers.Sum(w => w.Counters.CopiesAsFrames);
        long ring = _workers.Sum(w => w.Counters.CopiesOn(CopyPath.PacketRing));
        long raw = _workers.Sum(w => w.Counters.CopiesOn(CopyPath.Raw));
        bool expectPacket = _tracker is not null;
        bool expectRing = _name.StartsWith("vxsnd-packet/", StringComparison.Ordinal);
        if (expectPacket ? raw == 0 && packet > 0 && (ring == packet) == expectRing : packet == 0) return;
        var fallbacks = Enum.GetValues<PacketFallback>()
            .Select(r => (r, n: _workers.Sum(w => w.Counters.FallbacksFor(r))))
            .Where(x => x.n > 0)
            .Select(x => $"{PacketFallbacks.Tag(x.r)} {x.n}");
        Console.Error.WriteLine($"  ({_name}: {packet} copies on the packet path ({ring} through TX rings), {raw} on the raw path; fallbacks: {string.Join(", ", fallbacks.DefaultIfEmpty("none"))})");
    }

    private static void WaitUntilUsable(NextHopTracker tracker, List<IPAddress> destinations)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            var snapshot = tracker.Current;
            if (destinations.All(d => snapshot.TryGet(d, out var hop) && hop.IsUsable)) return;
            if (DateTime.UtcNow > deadline)
            {
                var states = destinations.Select(d => snapshot.TryGet(d, out var hop) ? $"{hop.State} (interface {hop.InterfaceIndex})" : "not tracked")
                    .GroupBy(s => s).Select(g => $"{g.Key} x{g.Count()}");
                throw new InvalidOperationException($"next hops not usable within 10 s: {string.Join(", ", states)}");
            }
            Thread.Sleep(20);
        }
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
