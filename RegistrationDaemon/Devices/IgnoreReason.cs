namespace Replicator.RegistrationDaemon.Devices;

/// <summary>Why a link is not managed; <see cref="None"/> means it is.</summary>
public enum IgnoreReason
{
    None,
    NotVxlan,
    NotInDevices,
    NoVni,
    Down,
    NoLocalAddress,
}
