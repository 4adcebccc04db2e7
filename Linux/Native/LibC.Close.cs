using System.Runtime.InteropServices;

namespace Replicator.Linux.Native;

public static partial class LibC
{
    /// <summary>close(2).</summary>
    [LibraryImport(Name, SetLastError = true)]
    public static partial int close(int fd);
}
