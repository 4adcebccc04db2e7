#pragma warning disable CS8981

namespace Replicator.Linux.Netlink;

// /usr/include/linux/if_addr.h
public static partial class Nl
{
    public const ushort IFA_ADDRESS = 1;
    public const ushort IFA_LOCAL = 2;
    public const ushort IFA_LABEL = 3;
    public const ushort IFA_BROADCAST = 4;
    public const ushort IFA_FLAGS = 8;

    public const uint IFA_F_NODAD = 0x02;
    public const uint IFA_F_PERMANENT = 0x80;

    // /usr/include/linux/rtnetlink.h (rt_scope_t), carried in ifaddrmsg.ifa_scope.
    public const byte RT_SCOPE_UNIVERSE = 0;
    public const byte RT_SCOPE_HOST = 254;
}
