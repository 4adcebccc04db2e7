using System.Runtime.InteropServices;

namespace Replicator.Linux.Native;

public static unsafe partial class LibC
{
    // /usr/include/x86_64-linux-gnu/bits/socket.h
    public const int MSG_PEEK = 0x02;
    public const int MSG_TRUNC = 0x20;
    public const int MSG_DONTWAIT = 0x40;
    public const int MSG_WAITFORONE = 0x10000;

    /// <summary>sendto(2). Returns bytes sent or -1.</summary>
    [LibraryImport(Name, SetLastError = true)]
    public static partial nint sendto(int fd, void* buf, nuint len, int flags, void* addr, uint addrlen);

    /// <summary>recvfrom(2). Returns bytes received or -1.</summary>
    [LibraryImport(Name, SetLastError = true)]
    public static partial nint recvfrom(int fd, void* buf, nuint len, int flags, void* addr, uint* addrlen);

    /// <summary>recvmmsg(2). Returns the number of messages received or -1.</summary>
    [LibraryImport(Name, SetLastError = true)]
    public static partial int recvmmsg(int fd, mmsghdr* msgvec, uint vlen, int flags, void* timeout);

    /// <summary>sendmmsg(2). Returns the number of messages sent or -1.</summary>
    [LibraryImport(Name, SetLastError = true)]
    public static partial int sendmmsg(int fd, mmsghdr* msgvec, uint vlen, int flags);
}
