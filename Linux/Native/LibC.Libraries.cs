using System.Runtime.InteropServices;

namespace Replicator.Linux.Native;

/// <summary>
/// Thin glibc surface (LP64: linux-x64, linux-arm64). One partial file per call or header,
/// C names kept. Calls return -1 and leave the errno in <see cref="LastErrno"/>; they never throw.
/// </summary>
public static unsafe partial class LibC
{
    internal const string Name = "libc";

    /// <summary>The errno of the last call, read immediately after it (SetLastError = true).</summary>
    public static Errno LastErrno => (Errno)Marshal.GetLastPInvokeError();
}
