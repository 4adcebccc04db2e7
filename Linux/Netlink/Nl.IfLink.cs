#pragma warning disable CS8981

namespace Replicator.Linux.Netlink;

// /usr/include/linux/if_link.h
public static partial class Nl
{
    public const ushort IFLA_ADDRESS = 1;
    public const ushort IFLA_IFNAME = 3;
    public const ushort IFLA_MTU = 4;
    public const ushort IFLA_LINK = 5;
    public const ushort IFLA_MASTER = 10;
    public const ushort IFLA_OPERSTATE = 16;
    public const ushort IFLA_LINKINFO = 18;
    public const ushort IFLA_EXT_MASK = 29;

    // Nested in IFLA_LINKINFO.
    public const ushort IFLA_INFO_KIND = 1;
    public const ushort IFLA_INFO_DATA = 2;
    public const ushort IFLA_INFO_SLAVE_KIND = 4;

    // Nested in IFLA_INFO_DATA when IFLA_INFO_KIND is "vxlan".
    public const ushort IFLA_VXLAN_ID = 1;
    /// <summary>Remote (unicast) or group (multicast) IPv4 address.</summary>
    public const ushort IFLA_VXLAN_GROUP = 2;
    public const ushort IFLA_VXLAN_LINK = 3;
    public const ushort IFLA_VXLAN_LOCAL = 4;
    public const ushort IFLA_VXLAN_LEARNING = 7;
    /// <summary>Destination UDP port, big-endian u16.</summary>
    public const ushort IFLA_VXLAN_PORT = 15;
    public const ushort IFLA_VXLAN_GROUP6 = 16;
    public const ushort IFLA_VXLAN_LOCAL6 = 17;
    public const ushort IFLA_VXLAN_COLLECT_METADATA = 25;
    public const ushort IFLA_VXLAN_VNIFILTER = 30;

    // RFC 2863 operational states (IFLA_OPERSTATE).
    public const byte IF_OPER_UNKNOWN = 0;
    public const byte IF_OPER_NOTPRESENT = 1;
    public const byte IF_OPER_DOWN = 2;
    public const byte IF_OPER_LOWERLAYERDOWN = 3;
    public const byte IF_OPER_TESTING = 4;
    public const byte IF_OPER_DORMANT = 5;
    public const byte IF_OPER_UP = 6;
}
