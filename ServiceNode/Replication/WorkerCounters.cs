namespace Replicator.ServiceNode.Replication;

/// <summary>
/// One worker's running totals. Only the worker's thread writes (plain stores, no interlocked
/// operations on the hot path); metric callbacks read them, and 64-bit reads are atomic on LP64.
/// </summary>
internal sealed class WorkerCounters
{
    public long DatagramsReceived;
    public long CopiesSent;
    public long SendErrors;
    public long Batches;
    public readonly long[] Dropped = new long[DropReasons.Count];

    /// <summary>Copies handed to the kernel, by <see cref="CopyPath"/>.</summary>
    public readonly long[] CopiesByPath = new long[CopyPaths.Count];

    /// <summary>Copies the packet path left to the raw socket, by <see cref="PacketFallback"/>.</summary>
    public readonly long[] Fallbacks = new long[PacketFallbacks.Count];

    public long CopiesOn(CopyPath path) => Volatile.Read(ref CopiesByPath[(int)path]);

    /// <summary>Copies that left as prebuilt frames, by sendmmsg or through a TX ring.</summary>
    public long CopiesAsFrames => CopiesOn(CopyPath.Packet) + CopiesOn(CopyPath.PacketRing);

    public long FallbacksFor(PacketFallback reason) => Volatile.Read(ref Fallbacks[(int)reason]);

    public long DroppedFor(DropReason reason) => Volatile.Read(ref Dropped[(int)reason]);

    public long TotalDropped
    {
        get
        {
            long sum = 0;
            for (int i = 0; i < Dropped.Length; i++) sum += Volatile.Read(ref Dropped[i]);
            return sum;
        }
    }
}
