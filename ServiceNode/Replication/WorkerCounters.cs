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
