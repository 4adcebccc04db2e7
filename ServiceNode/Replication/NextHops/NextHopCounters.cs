namespace Replicator.ServiceNode.Replication.NextHops;

/// <summary>
/// The tracker's plain counters, written by its thread and read when metrics are collected (so the tracker
/// calls no instrument); <see cref="ByState"/> is replaced whole with each published snapshot.
/// </summary>
internal sealed class NextHopCounters
{
    private static readonly int StateCount = Enum.GetValues<NextHopState>().Length;

    /// <summary>Route lookups (RTM_GETROUTE) made.</summary>
    public long Resolutions;

    /// <summary>Snapshots published.</summary>
    public long Snapshots;

    public readonly long[] Resyncs = new long[Enum.GetValues<NextHopResyncReason>().Length];

    private int[] _byState = new int[StateCount];

    /// <summary>Destinations in the current snapshot by <see cref="NextHopState"/>.</summary>
    public IReadOnlyList<int> ByState => Volatile.Read(ref _byState);

    public long ResyncsFor(NextHopResyncReason reason) => Volatile.Read(ref Resyncs[(int)reason]);

    internal void Publish(NextHopSnapshot snapshot)
    {
        var counts = new int[StateCount];
        foreach (var hop in snapshot.All)
        {
            counts[(int)hop.State]++;
        }
        Volatile.Write(ref _byState, counts);
        Interlocked.Increment(ref Snapshots);
    }
}
