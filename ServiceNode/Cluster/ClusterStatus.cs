namespace Replicator.ServiceNode.Cluster;

/// <summary>Builds the cluster's status for the management API and <c>vxsnd status</c>.</summary>
internal sealed class ClusterStatus(ClusterState state, ClusterMetrics metrics, AnycastService anycast)
{
    public ClusterStatusResponse Get()
    {
        var peers = new List<PeerStatus>(state.Peers.Count);
        foreach (var peer in state.Peers)
        {
            var sync = peer.LastSync;
            peers.Add(new PeerStatus(
                peer.Address.Text,
                peer.ControlEndPoint.ToString(),
                peer.SyncEndPoint.ToString(),
                state.IsReachable(peer),
                state.SinceHeard(peer) is { } since ? Math.Round(since.TotalSeconds, 1) : null,
                sync?.At,
                sync?.Entries,
                sync?.Error));
        }
        return new ClusterStatusResponse(
            state.Readiness.IsSynced,
            state.NodeId,
            state.AnycastAddress,
            anycast.Installed,
            anycast.WithdrawnBecause,
            metrics.RegistrationsRelayed,
            metrics.RelayedReceived,
            metrics.KeepalivesReceived,
            state.PeerTimeout.TotalSeconds,
            peers);
    }
}
