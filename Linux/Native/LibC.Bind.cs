using System.Runtime.InteropServices;

namespace Replicator.Linux.Native;

public static unsafe partial class LibC
{
    /// <summary>bind(2) with a sockaddr_in, sockaddr_in6 or sockaddr_nl.</summary>
    [LibraryImport(Name, SetLastError = true)]
    public static partial int bind(int fd, void* addr, uint addrlen);

    /// <summary>getsockname(2).</summary>
    [LibraryImport(Name, SetLastError = true)]
    public static partial int getsockname(int fd, void* addr, uint* addrlen);

    /// <summary>connect(2).</summary>
    [LibraryImport(Name, SetLastError = true)]
    public static partial int connect(int fd, void* addr, uint addrlen);
}
