using System.Runtime;

namespace Replicator.ServiceNode.Management;

/// <summary>
/// <c>GET /diagnostics/heap</c>: the managed memory the daemon still holds after a full, blocking,
/// compacting garbage collection, which only live objects survive. A diagnostic (it pauses the
/// daemon for the collection, milliseconds to tens of milliseconds), root-only like the whole
/// management socket. Unlike RSS it does not move with load, allocator caches or the GC's
/// decisions, so the leak tests measure it.
/// </summary>
/// <param name="RetainedBytes">Bytes of live managed objects after the collection.</param>
/// <param name="HeapSizeBytes">The managed heap's size after it (live objects and fragmentation).</param>
/// <param name="Collections">Full (gen 2) collections so far, this one included.</param>
internal sealed record HeapResponse(long RetainedBytes, long HeapSizeBytes, int Collections)
{
    public static HeapResponse Measure()
    {
        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        long retained = GC.GetTotalMemory(forceFullCollection: true);
        var info = GC.GetGCMemoryInfo(GCKind.FullBlocking);
        return new HeapResponse(retained, info.HeapSizeBytes, GC.CollectionCount(GC.MaxGeneration));
    }
}
