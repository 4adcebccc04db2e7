using System.Runtime.InteropServices;

namespace Replicator.Linux.Native;

public static unsafe partial class LibC
{
    // /usr/include/x86_64-linux-gnu/bits/socket.h
    public const int AF_UNSPEC = 0;
    public const int AF_UNIX = 1;
    public const int AF_INET = 2;
    public const int AF_BRIDGE = 7;
    public const int AF_INET6 = 10;
    public const int AF_NETLINK = 16;
    public const int AF_PACKET = 17;

    // /usr/include/x86_64-linux-gnu/bits/socket_type.h
    public const int SOCK_STREAM = 1;
    public const int SOCK_DGRAM = 2;
    public const int SOCK_RAW = 3;
    public const int SOCK_NONBLOCK = 0x800;
    public const int SOCK_CLOEXEC = 0x80000;

    // /usr/include/linux/in.h
    public const int IPPROTO_IP = 0;
    public const int IPPROTO_UDP = 17;
    public const int IPPROTO_IPV6 = 41;
    public const int IPPROTO_RAW = 255;

    /// <summary>socket(2). Returns the fd or -1.</summary>
    [LibraryImport(Name, SetLastError = true)]
    public static partial int socket(int domain, int type, int protocol);

    /// <summary>Opens a socket into a <see cref="SafeFileDescriptor"/> (always CLOEXEC).</summary>
    public static SafeFileDescriptor OpenSocket(int domain, int type, int protocol, out Errno errno)
    {
        int fd = socket(domain, type | SOCK_CLOEXEC, protocol);
        errno = fd < 0 ? LastErrno : Errno.SUCCESS;
        return new SafeFileDescriptor(fd);
    }
}
