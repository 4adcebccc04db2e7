namespace Replicator.RegistrationDaemon.Kernel;

/// <summary>
/// Any kernel link (RTM_NEWLINK, family AF_UNSPEC), VXLAN or not, so callers can say why a link is not
/// managed (<see cref="IgnoreReason"/>). A record: two snapshots compare by value.
/// </summary>
public sealed record LinkInfo
{
    /// <summary>ifinfomsg.ifi_index.</summary>
    public required int Index { get; init; }

    /// <summary>IFLA_IFNAME.</summary>
    public required string Name { get; init; }

    /// <summary>IFLA_INFO_KIND ("vxlan", "bridge", "veth", ...); null for links without one (loopback, physical).</summary>
    public string? Kind { get; init; }

    /// <summary>ifinfomsg.ifi_flags (IFF_*).</summary>
    public uint Flags { get; init; }

    /// <summary>IFF_UP.</summary>
    public bool AdminUp => (Flags & Protocol.Netlink.Nl.IFF_UP) != 0;

    /// <summary>IFLA_OPERSTATE.</summary>
    public LinkOperState OperState { get; init; }

    /// <summary>IFLA_MASTER, 0 when none.</summary>
    public int MasterIndex { get; init; }

    /// <summary>The VXLAN view when <see cref="Kind"/> is "vxlan" and the attributes parsed.</summary>
    public VxlanDevice? Vxlan { get; init; }

    /// <summary>Administratively up and not operationally down.</summary>
    public bool IsUp => AdminUp && IsOperational(OperState);

    /// <summary>Why vxrd would not manage this link; <see cref="LinkIgnoreReason.None"/> for a usable VXLAN device.</summary>
    public LinkIgnoreReason IgnoreReason =>
        Vxlan is null ? LinkIgnoreReason.NotVxlan
        : Vxlan.CollectMetadata ? LinkIgnoreReason.ExternalDevice
        : !IsUp ? LinkIgnoreReason.Down
        : Vxlan.Local is null ? LinkIgnoreReason.NoLocalAddress
        : LinkIgnoreReason.None;

    /// <summary>
    /// VXLAN devices never report carrier and show UNKNOWN while up, so only the explicit down states count.
    /// </summary>
    internal static bool IsOperational(LinkOperState state) =>
        state is not (LinkOperState.Down or LinkOperState.LowerLayerDown or LinkOperState.NotPresent);
}
