namespace Replicator.RegistrationDaemon.Kernel;

/// <summary>Why vxrd does not manage a link (<see cref="LinkInfo.IgnoreReason"/>); shown by <c>vxrd devices</c>.</summary>
public enum LinkIgnoreReason
{
    /// <summary>A usable VXLAN device.</summary>
    None = 0,
    /// <summary>Not a VXLAN device (IFLA_INFO_KIND is not "vxlan").</summary>
    NotVxlan,
    /// <summary>Administratively down (no IFF_UP) or operationally down.</summary>
    Down,
    /// <summary>No IFLA_VXLAN_LOCAL/LOCAL6: there is no address to register.</summary>
    NoLocalAddress,
    /// <summary>An external (collect_metadata) device: it has no single VNI.</summary>
    ExternalDevice,
}
