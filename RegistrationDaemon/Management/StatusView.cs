namespace Replicator.RegistrationDaemon.Management;

/// <summary>Body of <c>GET /status</c> and <c>vxrd status --json</c>.</summary>
/// <param name="Authentication">Control authentication: "on", "off" (AllowUnauthenticated, no key file) or "transitional" (a key file and AllowUnauthenticated).</param>
internal sealed record StatusView(
    string Version,
    string Mode,
    string ServiceNode,
    int ControlPort,
    string ServiceNodeState,
    bool Reachable,
    DateTimeOffset? LastContact,
    double? LastContactAgeSeconds,
    DateTimeOffset? LastRegistration,
    double HoldTimeSeconds,
    int RefreshRate,
    double ReconcileIntervalSeconds,
    bool ProgrammingPaused,
    DateTimeOffset StartedAt,
    double UptimeSeconds,
    int DevicesSeen,
    int DevicesManaged,
    int Vnis,
    int Peers,
    int DefaultEntries,
    int Registrations,
    string? Authentication = null);
