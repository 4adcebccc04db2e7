using System.Runtime.InteropServices;

namespace Replicator.Linux.Native;

public static unsafe partial class LibC
{
    // /usr/include/asm-generic/fcntl.h
    public const int O_DIRECTORY = 0x10000;

    /// <summary>fsync(2).</summary>
    [LibraryImport(Name, SetLastError = true)]
    public static partial int fsync(int fd);

    /// <summary>
    /// fsync(2) on a directory, so that a rename or a new file in it survives a power loss
    /// (.NET cannot open a directory as a file).
    /// </summary>
    public static Errno SyncDirectory(string path)
    {
        int length = System.Text.Encoding.UTF8.GetByteCount(path);
        byte* p = stackalloc byte[length + 1];
        System.Text.Encoding.UTF8.GetBytes(path, new Span<byte>(p, length));
        p[length] = 0;
        int fd = open(p, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0) return LastErrno;
        Errno errno = fsync(fd) == 0 ? Errno.SUCCESS : LastErrno;
        close(fd);
        return errno;
    }
}
