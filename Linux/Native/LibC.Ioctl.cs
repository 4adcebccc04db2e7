using System.Runtime.InteropServices;

namespace Replicator.Linux.Native;

public static unsafe partial class LibC
{
    /// <summary>FIONREAD (asm-generic/ioctls.h), SIOCINQ for sockets: on a UDP socket, the size of the next datagram waiting (0: none).</summary>
    public const int FIONREAD = 0x541B;

    /// <summary>ioctl(2) with an int argument.</summary>
    [LibraryImport(Name, SetLastError = true)]
    public static partial int ioctl(int fd, nuint request, int* arg);

    /// <summary>Whether a datagram waits unread on the socket (FIONREAD); false on error.</summary>
    public static bool HasUnreadData(int fd)
    {
        int bytes = 0;
        return ioctl(fd, FIONREAD, &bytes) == 0 && bytes > 0;
    }
}
