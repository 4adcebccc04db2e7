namespace Replicator.ServiceNode.Management;

/// <summary><c>GET /status</c> and <c>vxsnd status --json</c>.</summary>
/// <param name="ControlAnycastAddress">The anycast address the second control socket is bound to (VTEPs are answered from it), or null.</param>
/// <param name="Cluster">Peers, sync and anycast (the same as <c>GET /cluster</c>); null when the cluster is not part of the host.</param>
/// <param name="Authentication">Control authentication: "on", "off" (AllowUnauthenticated, no key file) or "transitional" (a key file and AllowUnauthenticated).</param>
internal sealed record StatusResponse(
    string Version,
    string ControlAddress,
    int ControlPort,
    string ManagementSocket,
    string? MetricsEndpoint,
    int Entries,
    int Vnis,
    IReadOnlyDictionary<string, long> EntriesBySource,
    long RegistrationsReceived,
    long PeerListsPushed,
    long ControlDropped,
    double UptimeSeconds,
    string? ControlAnycastAddress = null,
    Cluster.ClusterStatusResponse? Cluster = null,
    string? Authentication = null);
