using System.Runtime.InteropServices;

namespace Replicator.Linux.Native;

public static unsafe partial class LibC
{
    // /usr/include/asm-generic/socket.h
    public const int SOL_SOCKET = 1;
    public const int SO_REUSEADDR = 2;
    public const int SO_SNDBUF = 7;
    public const int SO_RCVBUF = 8;
    public const int SO_REUSEPORT = 15;
    public const int SO_RCVTIMEO = 20;
    public const int SO_SNDBUFFORCE = 32;
    public const int SO_RCVBUFFORCE = 33;
    /// <summary>Receive timestamps (struct timespec, CLOCK_REALTIME) in an SCM_TIMESTAMPNS cmsg; the _OLD value, right where time_t is 64 bits.</summary>
    public const int SO_TIMESTAMPNS = 35;
    public const int SCM_TIMESTAMPNS = SO_TIMESTAMPNS;
    /// <summary>A uint32 cmsg with each datagram: datagrams this socket has dropped so far (receive buffer full).</summary>
    public const int SO_RXQ_OVFL = 40;

    // /usr/include/linux/in.h
    public const int IP_TTL = 2;
    public const int IP_HDRINCL = 3;
    public const int IP_PKTINFO = 8;
    public const int IP_MTU_DISCOVER = 10;
    public const int IP_PMTUDISC_DONT = 0;

    // /usr/include/linux/in6.h
    public const int IPV6_UNICAST_HOPS = 16;
    public const int IPV6_V6ONLY = 26;
    public const int IPV6_RECVPKTINFO = 49;
    public const int IPV6_PKTINFO = 50;
    /// <summary>IPV6_HDRINCL (linux/in6.h, since 4.5): raw AF_INET6 sockets take the IPv6 header from the caller.</summary>
    public const int IPV6_HDRINCL = 36;

    // /usr/include/linux/netlink.h
    public const int SOL_NETLINK = 270;
    public const int NETLINK_ADD_MEMBERSHIP = 1;
    public const int NETLINK_DROP_MEMBERSHIP = 2;
    public const int NETLINK_EXT_ACK = 11;
    public const int NETLINK_GET_STRICT_CHK = 12;

    /// <summary>setsockopt(2).</summary>
    [LibraryImport(Name, SetLastError = true)]
    public static partial int setsockopt(int fd, int level, int optname, void* optval, uint optlen);

    /// <summary>getsockopt(2).</summary>
    [LibraryImport(Name, SetLastError = true)]
    public static partial int getsockopt(int fd, int level, int optname, void* optval, uint* optlen);

    /// <summary>setsockopt for an int option; returns the errno (SUCCESS on success).</summary>
    public static Errno SetIntOption(int fd, int level, int optname, int value)
        => setsockopt(fd, level, optname, &value, sizeof(int)) == 0 ? Errno.SUCCESS : LastErrno;
}
