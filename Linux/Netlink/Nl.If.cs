#pragma warning disable CS8981

namespace Replicator.Linux.Netlink;

// /usr/include/linux/if.h (enum net_device_flags), carried in ifinfomsg.ifi_flags.
public static partial class Nl
{
    public const uint IFF_UP = 1 << 0;
    public const uint IFF_BROADCAST = 1 << 1;
    public const uint IFF_LOOPBACK = 1 << 3;
    public const uint IFF_RUNNING = 1 << 6;
    public const uint IFF_LOWER_UP = 1 << 16;
}
