namespace Replicator.ServiceNode.Replication.NextHops;

/// <summary>Why the tracker looked up every destination's route again (the <c>reason</c> label of its resync counter).</summary>
internal enum NextHopResyncReason
{
    /// <summary>At start.</summary>
    Initial,
    /// <summary>A watcher lost notifications (ENOBUFS) or could not decode one, and dumped again.</summary>
    NotificationsLost,
    /// <summary>The periodic refresh that catches what no notification reports (policy rules, nexthop objects).</summary>
    Periodic,
}
