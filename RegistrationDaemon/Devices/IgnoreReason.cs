namespace Replicator.RegistrationDaemon.Devices;

/// <summary>Why vxrd does not manage a link (<see cref="DeviceInventory.Classify"/>); <see cref="None"/> means it does.</summary>
internal enum IgnoreReason
{
    /// <summary>A managed VXLAN device.</summary>
    None,
    /// <summary>IFLA_INFO_KIND is not "vxlan".</summary>
    NotVxlan,
    /// <summary>A VXLAN device whose name matches none of the configured device names and globs.</summary>
    NotInDevices,
    /// <summary>No single VNI: an external (collect_metadata) device, or no VXLAN attributes from the kernel.</summary>
    NoVni,
    /// <summary>Administratively down (no IFF_UP) or operationally down.</summary>
    Down,
    /// <summary>No IFLA_VXLAN_LOCAL/LOCAL6 (or the unspecified address): there is no address to register.</summary>
    NoLocalAddress,
}
