using System.Net;

namespace Replicator.RegistrationDaemon.Kernel;

/// <summary>
/// A kernel VXLAN device as rtnetlink reports it (RTM_NEWLINK, IFLA_LINKINFO/IFLA_INFO_DATA);
/// <c>ip -d link show dev NAME</c> shows the same. A record: two snapshots compare by value.
/// </summary>
public sealed record VxlanDevice
{
    /// <summary>IFLA_IFNAME.</summary>
    public required string Name { get; init; }

    /// <summary>ifinfomsg.ifi_index.</summary>
    public required int Index { get; init; }

    /// <summary>IFLA_VXLAN_ID (24 bits).</summary>
    public required uint Vni { get; init; }

    /// <summary>IFLA_VXLAN_LOCAL or IFLA_VXLAN_LOCAL6: the source address of encapsulated frames; null when unset.</summary>
    public IPAddress? Local { get; init; }

    /// <summary>IFLA_VXLAN_GROUP or IFLA_VXLAN_GROUP6: a unicast remote or a multicast group; null when unset.</summary>
    public IPAddress? Remote { get; init; }

    /// <summary>True when <see cref="Remote"/> is a multicast group (iproute2 prints "group" instead of "remote").</summary>
    public bool RemoteIsGroup => Remote is { } r && (r.IsIPv6Multicast || (r.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork && (r.GetAddressBytes()[0] & 0xF0) == 0xE0));

    /// <summary>IFLA_VXLAN_PORT: UDP destination port (the kernel's default is 8472 unless dstport is given).</summary>
    public ushort DestinationPort { get; init; }

    /// <summary>IFLA_VXLAN_LINK: the underlay device, 0 when none.</summary>
    public int UnderlayIndex { get; init; }

    /// <summary>IFLA_VXLAN_LEARNING.</summary>
    public bool Learning { get; init; }

    /// <summary>IFLA_VXLAN_COLLECT_METADATA ("external").</summary>
    public bool CollectMetadata { get; init; }

    /// <summary>IFF_UP in ifi_flags (<c>ip link set dev NAME up</c>).</summary>
    public bool AdminUp { get; init; }

    /// <summary>IFLA_OPERSTATE.</summary>
    public LinkOperState OperState { get; init; }

    /// <summary>IFLA_MASTER: the bridge this device is a port of, 0 when none.</summary>
    public int MasterIndex { get; init; }

    /// <summary>Administratively up and not operationally down.</summary>
    public bool IsUp => AdminUp && LinkInfo.IsOperational(OperState);
}
