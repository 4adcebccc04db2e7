namespace Replicator.RegistrationDaemon.Configuration;

/// <summary>
/// The reloadable part of the configuration, as an immutable value: a reload is compared to the
/// current one and only a real difference reaches the daemon loop.
/// </summary>
internal sealed record RuntimeSettings(ReplicationMode Mode, TimeSpan HoldTime, int RefreshRate)
{
    /// <summary>Nominal time between two full refreshes of the registrations.</summary>
    public TimeSpan RefreshInterval => HoldTime / RefreshRate;

    public static RuntimeSettings From(RegistrationDaemonOptions o) => new(o.Mode, o.HoldTime, o.RefreshRate);
}
