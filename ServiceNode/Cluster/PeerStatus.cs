namespace Replicator.ServiceNode.Cluster;

/// <summary>One peer in <see cref="ClusterStatusResponse"/>.</summary>
/// <param name="LastHeardSecondsAgo">Seconds since a datagram from it; null when never.</param>
/// <param name="LastSyncAt">When the start-up sync attempt with it ended; null when none was made.</param>
/// <param name="LastSyncEntries">Entries it sent then.</param>
/// <param name="LastSyncError">Why that attempt failed; null on success or when none was made.</param>
internal sealed record PeerStatus(
    string Address,
    string ControlEndPoint,
    string SyncEndPoint,
    bool Reachable,
    double? LastHeardSecondsAgo,
    DateTimeOffset? LastSyncAt,
    int? LastSyncEntries,
    string? LastSyncError);
