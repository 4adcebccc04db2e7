using System.Runtime.InteropServices;

namespace Replicator.Linux.Native;

/// <summary>Owns one file descriptor; closes it exactly once.</summary>
public sealed class SafeFileDescriptor : SafeHandle
{
    public SafeFileDescriptor() : base(new IntPtr(-1), ownsHandle: true) { }

    public SafeFileDescriptor(int fd) : base(new IntPtr(-1), ownsHandle: true) => SetHandle(new IntPtr(fd));

    public override bool IsInvalid => handle.ToInt64() < 0;

    /// <summary>The raw fd, for calls made while the owner keeps this handle alive.</summary>
    public int Fd => (int)handle.ToInt64();

    protected override bool ReleaseHandle()
    {
        // EINTR on close still releases the fd on Linux; retrying could close someone else's fd.
        return LibC.close(Fd) == 0 || LibC.LastErrno == Errno.EINTR;
    }
}
