namespace Replicator.ServiceNode.Cluster;

/// <summary><c>GET /cluster</c>, the cluster part of <c>vxsnd status</c>.</summary>
/// <param name="Synced">The start-up sync is over (this node may report ready).</param>
/// <param name="AnycastAddress">Configured anycast address, or null.</param>
/// <param name="AnycastInstalled">The address is on the loopback now because of this node (<c>InstallAnycast</c>).</param>
/// <param name="AnycastWithdrawnBecause">Why it was withdrawn for good (data-plane failure), or null.</param>
/// <param name="RegistrationsRelayed">Datagrams relayed to peers since start.</param>
/// <param name="RelayedReceived">Relayed registrations received from peers since start (keepalives not counted).</param>
/// <param name="KeepalivesReceived">Keepalives received from peers since start.</param>
internal sealed record ClusterStatusResponse(
    bool Synced,
    string NodeId,
    string? AnycastAddress,
    bool AnycastInstalled,
    string? AnycastWithdrawnBecause,
    long RegistrationsRelayed,
    long RelayedReceived,
    long KeepalivesReceived,
    double PeerTimeoutSeconds,
    IReadOnlyList<PeerStatus> Peers);
