using System.Runtime.InteropServices;

namespace Replicator.Linux.Native;

public static unsafe partial class LibC
{
    // /usr/include/linux/sched.h
    public const int CLONE_NEWNET = 0x40000000;

    // /usr/include/asm-generic/fcntl.h
    public const int O_RDONLY = 0;
    public const int O_CLOEXEC = 0x80000;

    /// <summary>open(2) with a NUL-terminated UTF-8 path. Returns the fd or -1.</summary>
    [LibraryImport(Name, SetLastError = true)]
    public static partial int open(byte* path, int flags);

    /// <summary>setns(2): moves the calling thread into the namespace <paramref name="fd"/> refers to.</summary>
    [LibraryImport(Name, SetLastError = true)]
    public static partial int setns(int fd, int nstype);

    /// <summary>Moves the calling thread into the network namespace at <paramref name="path"/> (e.g. /var/run/netns/NAME).</summary>
    public static Errno EnterNetworkNamespace(string path)
    {
        int length = System.Text.Encoding.UTF8.GetByteCount(path);
        byte* p = stackalloc byte[length + 1];
        System.Text.Encoding.UTF8.GetBytes(path, new Span<byte>(p, length));
        p[length] = 0;
        int fd = open(p, O_RDONLY | O_CLOEXEC);
        if (fd < 0) return LastErrno;
        int rc = setns(fd, CLONE_NEWNET);
        Errno errno = rc == 0 ? Errno.SUCCESS : LastErrno;
        close(fd);
        return errno;
    }
}
