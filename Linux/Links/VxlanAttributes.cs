using System.Net;
using System.Net.Sockets;

namespace Replicator.Linux.Links;

/// <summary>
/// The VXLAN attributes of a link (IFLA_LINKINFO/IFLA_INFO_DATA when IFLA_INFO_KIND is "vxlan");
/// <c>ip -d link show dev NAME</c> shows the same. A record: two snapshots compare by value.
/// </summary>
public sealed record VxlanAttributes
{
    /// <summary>IFLA_VXLAN_ID (24 bits); 0 for an external device that sent none.</summary>
    public required uint Vni { get; init; }

    /// <summary>IFLA_VXLAN_LOCAL or IFLA_VXLAN_LOCAL6: the source address of encapsulated frames; null when unset.</summary>
    public IPAddress? Local { get; init; }

    /// <summary>IFLA_VXLAN_GROUP or IFLA_VXLAN_GROUP6: a unicast remote or a multicast group; null when unset.</summary>
    public IPAddress? Remote { get; init; }

    /// <summary>True when <see cref="Remote"/> is a multicast group (iproute2 prints "group" instead of "remote").</summary>
    public bool RemoteIsGroup => Remote is { } r && (r.IsIPv6Multicast || (r.AddressFamily == AddressFamily.InterNetwork && (r.GetAddressBytes()[0] & 0xF0) == 0xE0));

    /// <summary>IFLA_VXLAN_PORT: UDP destination port (the kernel's default is 8472 unless dstport is given).</summary>
    public ushort DestinationPort { get; init; }

    /// <summary>IFLA_VXLAN_LINK: the underlay device, 0 when none.</summary>
    public int UnderlayIndex { get; init; }

    /// <summary>IFLA_VXLAN_LEARNING.</summary>
    public bool Learning { get; init; }

    /// <summary>IFLA_VXLAN_COLLECT_METADATA ("external"): the device has no single VNI.</summary>
    public bool CollectMetadata { get; init; }
}
