using System.Net.NetworkInformation;
using Replicator.Linux.Netlink;

namespace Replicator.Linux.Links;

/// <summary>
/// Any kernel link (RTM_NEWLINK, family AF_UNSPEC), VXLAN or not, as rtnetlink reports it: what the
/// kernel says, no policy (which links a daemon manages is the daemon's decision). A record: two
/// snapshots compare by value.
/// </summary>
public sealed record LinkInfo
{
    /// <summary>IFLA_INFO_KIND of a VXLAN device.</summary>
    public const string VxlanKind = "vxlan";

    /// <summary>ifinfomsg.ifi_index.</summary>
    public required int Index { get; init; }

    /// <summary>IFLA_IFNAME.</summary>
    public required string Name { get; init; }

    /// <summary>IFLA_INFO_KIND ("vxlan", "bridge", "veth", ...); null for links without one (loopback, physical).</summary>
    public string? Kind { get; init; }

    /// <summary>ifinfomsg.ifi_flags (IFF_*).</summary>
    public uint Flags { get; init; }

    /// <summary>IFF_UP (<c>ip link set dev NAME up</c>).</summary>
    public bool AdminUp => (Flags & Nl.IFF_UP) != 0;

    /// <summary>IFLA_OPERSTATE.</summary>
    public LinkOperState OperState { get; init; }

    /// <summary>ifinfomsg.ifi_type: the ARPHRD_* link type (<see cref="Nl.ARPHRD_ETHER"/> for Ethernet, veth, bridges, VXLAN).</summary>
    public ushort LinkType { get; init; }

    /// <summary>IFLA_ADDRESS: the link-layer address (6 bytes on Ethernet); null when the link has none (tunnels without one).</summary>
    public PhysicalAddress? HardwareAddress { get; init; }

    /// <summary>IFLA_MTU; 0 when absent.</summary>
    public int Mtu { get; init; }

    /// <summary>True for Ethernet links (ARPHRD_ETHER): frames with an Ethernet header can be sent on them.</summary>
    public bool IsEthernet => LinkType == Nl.ARPHRD_ETHER;

    /// <summary>IFLA_MASTER: the bridge this link is a port of, 0 when none.</summary>
    public int MasterIndex { get; init; }

    /// <summary>True when <see cref="Kind"/> is "vxlan", whether or not its attributes parsed.</summary>
    public bool IsVxlan => Kind == VxlanKind;

    /// <summary>The VXLAN attributes when <see cref="Kind"/> is "vxlan" and they parsed (a VNI, or external).</summary>
    public VxlanAttributes? Vxlan { get; init; }

    /// <summary>
    /// Administratively up and not operationally down. VXLAN devices never report carrier and show
    /// UNKNOWN while up, so only the explicit down states count.
    /// </summary>
    public bool IsUp => AdminUp && OperState is not (LinkOperState.Down or LinkOperState.LowerLayerDown or LinkOperState.NotPresent);
}
