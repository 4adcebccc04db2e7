#pragma warning disable CS8981

namespace Replicator.Linux.Netlink;

// /usr/include/linux/rtnetlink.h: routes (rtmsg, RTA_*, RTN_*, RTAX_*, their multicast groups).
public static partial class Nl
{
    public const ushort RTM_NEWROUTE = 24;
    public const ushort RTM_DELROUTE = 25;
    public const ushort RTM_GETROUTE = 26;

    public const int RTNLGRP_IPV4_ROUTE = 7;
    public const int RTNLGRP_IPV6_ROUTE = 11;

    // enum rtattr_type_t
    public const ushort RTA_DST = 1;
    public const ushort RTA_SRC = 2;
    public const ushort RTA_IIF = 3;
    public const ushort RTA_OIF = 4;
    public const ushort RTA_GATEWAY = 5;
    public const ushort RTA_PRIORITY = 6;
    public const ushort RTA_PREFSRC = 7;
    public const ushort RTA_METRICS = 8;
    public const ushort RTA_MULTIPATH = 9;
    public const ushort RTA_TABLE = 15;
    /// <summary>struct rtvia: a u16 address family, then the address (a gateway of another family).</summary>
    public const ushort RTA_VIA = 18;
    public const ushort RTA_NH_ID = 30;

    // Nested in RTA_METRICS.
    public const ushort RTAX_MTU = 2;

    // rtmsg.rtm_type
    public const byte RTN_UNSPEC = 0;
    public const byte RTN_UNICAST = 1;
    public const byte RTN_LOCAL = 2;
    public const byte RTN_BROADCAST = 3;
    public const byte RTN_ANYCAST = 4;
    public const byte RTN_MULTICAST = 5;
    public const byte RTN_BLACKHOLE = 6;
    public const byte RTN_UNREACHABLE = 7;
    public const byte RTN_PROHIBIT = 8;
    public const byte RTN_THROW = 9;
    public const byte RTN_NAT = 10;

    // rtmsg.rtm_flags
    public const uint RTM_F_CLONED = 0x200;
    /// <summary>On RTM_GETROUTE: report the table the FIB lookup found the route in.</summary>
    public const uint RTM_F_LOOKUP_TABLE = 0x1000;

    public const byte RT_TABLE_MAIN = 254;
}
