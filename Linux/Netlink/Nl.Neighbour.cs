#pragma warning disable CS8981

namespace Replicator.Linux.Netlink;

// /usr/include/linux/neighbour.h
public static partial class Nl
{
    public const ushort NDA_DST = 1;
    public const ushort NDA_LLADDR = 2;
    public const ushort NDA_CACHEINFO = 3;
    public const ushort NDA_VLAN = 5;
    public const ushort NDA_PORT = 6;
    public const ushort NDA_VNI = 7;
    public const ushort NDA_IFINDEX = 8;
    public const ushort NDA_MASTER = 9;
    public const ushort NDA_SRC_VNI = 11;

    public const byte NTF_USE = 1 << 0;
    public const byte NTF_SELF = 1 << 1;
    public const byte NTF_MASTER = 1 << 2;
    public const byte NTF_PROXY = 1 << 3;
    public const byte NTF_EXT_LEARNED = 1 << 4;
    public const byte NTF_OFFLOADED = 1 << 5;
    public const byte NTF_STICKY = 1 << 6;
    public const byte NTF_ROUTER = 1 << 7;

    public const ushort NUD_INCOMPLETE = 0x01;
    public const ushort NUD_REACHABLE = 0x02;
    public const ushort NUD_STALE = 0x04;
    public const ushort NUD_DELAY = 0x08;
    public const ushort NUD_PROBE = 0x10;
    public const ushort NUD_FAILED = 0x20;
    public const ushort NUD_NOARP = 0x40;
    public const ushort NUD_PERMANENT = 0x80;
    public const ushort NUD_NONE = 0x00;
}
