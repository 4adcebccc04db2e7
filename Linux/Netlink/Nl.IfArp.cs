#pragma warning disable CS8981

namespace Replicator.Linux.Netlink;

// /usr/include/linux/if_arp.h: link types, carried in ifinfomsg.ifi_type.
public static partial class Nl
{
    public const ushort ARPHRD_ETHER = 1;
    public const ushort ARPHRD_LOOPBACK = 772;
    public const ushort ARPHRD_NONE = 0xFFFE;
}
