namespace Replicator.RegistrationDaemon.Daemon;

/// <summary>One link as <c>vxrd devices</c> shows it: managed, or ignored and why.</summary>
internal sealed record DeviceView(
    string Name,
    int IfIndex,
    bool Vxlan,
    uint? Vni,
    string? Local,
    string? Remote,
    bool Up,
    bool Managed,
    string Reason,
    IReadOnlyList<string> Destinations);
