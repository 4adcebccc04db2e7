namespace Replicator.ServiceNode.Management;

/// <summary><c>GET /status</c> and <c>vxsnd status --json</c>.</summary>
public sealed record StatusResponse(
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
    double UptimeSeconds);
