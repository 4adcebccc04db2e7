namespace Replicator.RegistrationDaemon.Daemon;

/// <summary>
/// Everything the management API shows, captured by the daemon loop after each step and
/// published whole, so readers on other threads never see the loop's state half-changed.
/// </summary>
internal sealed record DaemonSnapshot(
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
    DateTimeOffset TakenAt,
    IReadOnlyList<DeviceView> Devices,
    IReadOnlyList<PeerView> Peers,
    int Registrations)
{
    public int ManagedDevices => Devices.Count(d => d.Managed);

    public int Vnis => Devices.Where(d => d.Managed).Select(d => d.Vni).Distinct().Count();

    public int DefaultEntries => Devices.Sum(d => d.Destinations.Count);
}
