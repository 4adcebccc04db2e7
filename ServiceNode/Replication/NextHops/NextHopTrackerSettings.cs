namespace Replicator.ServiceNode.Replication.NextHops;

/// <summary>
/// The tracker's timing and bound; fixed (not configuration) because the 100 ms rule sets them, tests
/// may shorten them.
/// </summary>
/// <param name="CoalesceWindow">After the first event of a burst, how long to let the rest arrive before resolving once.</param>
/// <param name="RefreshInterval">Every route is looked up again this often, to catch what no notification reports
/// (policy-rule and nexthop-object changes).</param>
/// <param name="RetryInterval">A lookup that got no answer (a timeout) is retried this soon.</param>
/// <param name="MaxDestinations">Most destinations followed; the others stay off the snapshot (the raw path serves them).
/// It bounds the tracker's memory and the work of a resync (one RTM_GETROUTE each).</param>
/// <param name="ReceiveBufferBytes">Receive buffer of each watcher's notification socket (tests shrink it to provoke ENOBUFS).</param>
internal sealed record NextHopTrackerSettings(TimeSpan CoalesceWindow, TimeSpan RefreshInterval, TimeSpan RetryInterval, int MaxDestinations,
    int ReceiveBufferBytes = 4 * 1024 * 1024)
{
    public static NextHopTrackerSettings Default { get; } = new(
        CoalesceWindow: TimeSpan.FromMilliseconds(5),
        RefreshInterval: TimeSpan.FromSeconds(30),
        RetryInterval: TimeSpan.FromSeconds(1),
        MaxDestinations: 65_536);
}
