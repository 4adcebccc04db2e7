#pragma warning disable CS8981

namespace Replicator.Linux.Netlink;

// /usr/include/linux/rtnetlink.h
public static partial class Nl
{
    public const ushort RTM_NEWLINK = 16;
    public const ushort RTM_DELLINK = 17;
    public const ushort RTM_GETLINK = 18;
    public const ushort RTM_NEWADDR = 20;
    public const ushort RTM_DELADDR = 21;
    public const ushort RTM_GETADDR = 22;
    public const ushort RTM_NEWNEIGH = 28;
    public const ushort RTM_DELNEIGH = 29;
    public const ushort RTM_GETNEIGH = 30;

    /// <summary>Multicast groups (enum rtnetlink_groups), numbers for NETLINK_ADD_MEMBERSHIP.</summary>
    public const int RTNLGRP_LINK = 1;
    public const int RTNLGRP_NEIGH = 3;
    public const int RTNLGRP_IPV4_IFADDR = 5;
    public const int RTNLGRP_IPV6_IFADDR = 9;

    /// <summary>IFLA_EXT_MASK value: leave statistics out of link dumps.</summary>
    public const uint RTEXT_FILTER_SKIP_STATS = 1 << 3;
}
