using System.Net;
using System.Net.Sockets;

namespace Replicator.Linux.Native;

public static unsafe partial class LibC
{
    // /usr/include/linux/in.h, /usr/include/linux/tcp.h
    public const int IPPROTO_TCP = 6;
    public const int TCP_MD5SIG = 14;

    /// <summary>
    /// Sets the TCP-MD5 signature key (RFC 2385) for segments to and from <paramref name="peer"/>
    /// on the TCP socket <paramref name="fd"/>: <c>setsockopt(fd, IPPROTO_TCP, TCP_MD5SIG, &amp;tcp_md5sig)</c>.
    /// Set before connect, so the SYN is signed. Returns the errno (EINVAL for a key over 80 bytes).
    /// </summary>
    public static Errno SetTcpMd5Signature(int fd, IPAddress peer, ReadOnlySpan<byte> key)
    {
        ArgumentNullException.ThrowIfNull(peer);
        if (key.Length > tcp_md5sig.TCP_MD5SIG_MAXKEYLEN) return Errno.EINVAL;
        tcp_md5sig sig = default;
        if (peer.AddressFamily == AddressFamily.InterNetwork)
        {
            var sin = (sockaddr_in*)sig.tcpm_addr;
            sin->sin_family = (ushort)AF_INET;
            peer.TryWriteBytes(new Span<byte>(&sin->sin_addr, 4), out _);
        }
        else
        {
            var sin6 = (sockaddr_in6*)sig.tcpm_addr;
            sin6->sin6_family = (ushort)AF_INET6;
            peer.TryWriteBytes(new Span<byte>(sin6->sin6_addr, 16), out _);
        }
        sig.tcpm_keylen = (ushort)key.Length;
        key.CopyTo(new Span<byte>(sig.tcpm_key, tcp_md5sig.TCP_MD5SIG_MAXKEYLEN));
        return setsockopt(fd, IPPROTO_TCP, TCP_MD5SIG, &sig, (uint)sizeof(tcp_md5sig)) == 0 ? Errno.SUCCESS : LastErrno;
    }
}
