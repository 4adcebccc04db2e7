using System.Runtime.InteropServices;

namespace Replicator.Linux.Native;

/// <summary>
/// struct tcp_md5sig (/usr/include/linux/tcp.h): 216 bytes. The peer's address in a
/// <c>__kernel_sockaddr_storage</c> (128 bytes), flags, prefix length, key length, ifindex, key.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
public unsafe struct tcp_md5sig
{
    /// <summary>TCP_MD5SIG_MAXKEYLEN (linux/tcp.h).</summary>
    public const int TCP_MD5SIG_MAXKEYLEN = 80;
    public const int SockaddrStorageSize = 128;

    public fixed byte tcpm_addr[SockaddrStorageSize];
    public byte tcpm_flags;
    public byte tcpm_prefixlen;
    public ushort tcpm_keylen;
    public int tcpm_ifindex;
    public fixed byte tcpm_key[TCP_MD5SIG_MAXKEYLEN];
}
