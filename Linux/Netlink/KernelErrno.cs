using Replicator.Protocol.Native;

namespace Replicator.Linux.Netlink;

/// <summary>Errno values the shared <see cref="Errno"/> enum does not name yet (asm-generic/errno.h).</summary>
public static class KernelErrno
{
    /// <summary>EPROTO: protocol error; used for malformed kernel replies.</summary>
    public const Errno EPROTO = (Errno)71;
}
