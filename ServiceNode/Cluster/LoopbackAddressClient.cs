using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Replicator.Protocol.Native;
using Replicator.Protocol.Netlink;

namespace Replicator.ServiceNode.Cluster;

/// <summary>
/// Adds and removes one address on the loopback over rtnetlink, for the anycast address. Idempotent:
/// adding a present address or removing an absent one succeeds. Errors are returned as
/// <see cref="Errno"/>, never thrown, except when opening. Thread-safe (one exchange at a time).
/// vxsnd's own small client: the daemons share the codec in Protocol/Netlink, not each other's kernel code.
/// </summary>
public sealed unsafe class LoopbackAddressClient : IDisposable
{
    /// <summary>The loopback's ifindex in every network namespace (LOOPBACK_IFINDEX, include/net/net_namespace.h).</summary>
    public const int LoopbackIfIndex = 1;

    private readonly SafeFileDescriptor _fd;
    private readonly uint _portId;
    private readonly byte[] _buffer = new byte[8192];
    private readonly Lock _gate = new();
    private uint _sequence = (uint)Environment.TickCount;

    private LoopbackAddressClient(SafeFileDescriptor fd, uint portId)
    {
        _fd = fd;
        _portId = portId;
    }

    /// <summary>Opens an AF_NETLINK/NETLINK_ROUTE socket with a receive timeout; throws <see cref="NativeException"/> when it cannot.</summary>
    public static LoopbackAddressClient Open(TimeSpan? timeout = null)
    {
        var fd = LibC.OpenSocket(LibC.AF_NETLINK, LibC.SOCK_RAW | LibC.SOCK_CLOEXEC, Nl.NETLINK_ROUTE, out var errno);
        if (fd.IsInvalid)
        {
            fd.Dispose();
            throw new NativeException("socket(AF_NETLINK, NETLINK_ROUTE)", errno);
        }
        try
        {
            var address = new sockaddr_nl { nl_family = LibC.AF_NETLINK };
            if (LibC.bind(fd.Fd, &address, (uint)sizeof(sockaddr_nl)) != 0) throw new NativeException("bind(AF_NETLINK)", LibC.LastErrno);
            uint length = (uint)sizeof(sockaddr_nl);
            if (LibC.getsockname(fd.Fd, &address, &length) != 0) throw new NativeException("getsockname(AF_NETLINK)", LibC.LastErrno);
            _ = LibC.SetIntOption(fd.Fd, LibC.SOL_NETLINK, LibC.NETLINK_EXT_ACK, 1);
            long micros = (long)(timeout ?? TimeSpan.FromSeconds(5)).TotalMicroseconds;
            var tv = new timeval { tv_sec = (nint)(micros / 1_000_000), tv_usec = (nint)(micros % 1_000_000) };
            if (LibC.setsockopt(fd.Fd, LibC.SOL_SOCKET, LibC.SO_RCVTIMEO, &tv, (uint)sizeof(timeval)) != 0)
                throw new NativeException("setsockopt(SO_RCVTIMEO)", LibC.LastErrno);
            return new LoopbackAddressClient(fd, address.nl_pid);
        }
        catch
        {
            fd.Dispose();
            throw;
        }
    }

    /// <summary>
    /// RTM_NEWADDR with NLM_F_CREATE|NLM_F_EXCL, IFA_LOCAL = IFA_ADDRESS = <paramref name="address"/>, scope
    /// global, IPv6 with IFA_F_NODAD (usable at once). EEXIST counts as success.
    /// Equivalent to: <c>ip addr add 203.0.113.1/32 dev lo</c> (IPv6: <c>ip addr add 2001:db8::1/128 dev lo nodad</c>).
    /// </summary>
    public Errno Add(IPAddress address)
    {
        var errno = Change(Nl.RTM_NEWADDR, Nl.NLM_F_CREATE | Nl.NLM_F_EXCL, address);
        return errno == Errno.EEXIST ? Errno.SUCCESS : errno;
    }

    /// <summary>
    /// RTM_DELADDR of the host prefix; an absent address (EADDRNOTAVAIL, ENOENT) counts as success.
    /// Equivalent to: <c>ip addr del 203.0.113.1/32 dev lo</c>.
    /// </summary>
    /// <param name="removed">True when the address was there.</param>
    public Errno Delete(IPAddress address, out bool removed)
    {
        var errno = Change(Nl.RTM_DELADDR, 0, address);
        removed = errno == Errno.SUCCESS;
        return errno is Errno.EADDRNOTAVAIL or Errno.ENOENT ? Errno.SUCCESS : errno;
    }

    /// <summary>/32 for IPv4, /128 for IPv6.</summary>
    public static int HostPrefixLength(IPAddress address) => address.AddressFamily == AddressFamily.InterNetworkV6 ? 128 : 32;

    public void Dispose() => _fd.Dispose();

    private Errno Change(ushort type, ushort flags, IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        bool v6 = address.AddressFamily == AddressFamily.InterNetworkV6;
        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out int length);
        lock (_gate)
        {
            uint sequence = ++_sequence;
            var writer = new NetlinkMessageWriter(_buffer, type, (ushort)(Nl.NLM_F_REQUEST | Nl.NLM_F_ACK | flags), sequence);
            writer.WriteFamilyHeader(new ifaddrmsg
            {
                ifa_family = (byte)(v6 ? LibC.AF_INET6 : LibC.AF_INET),
                ifa_prefixlen = (byte)HostPrefixLength(address),
                ifa_scope = Nl.RT_SCOPE_UNIVERSE,
                ifa_index = LoopbackIfIndex,
            });
            writer.AddAttribute(Nl.IFA_LOCAL, bytes[..length]);
            writer.AddAttribute(Nl.IFA_ADDRESS, bytes[..length]);
            if (v6 && type == Nl.RTM_NEWADDR) writer.AddUInt32(Nl.IFA_FLAGS, Nl.IFA_F_NODAD);
            if (!writer.TryFinish(out int size)) return Errno.EMSGSIZE;
            var errno = Send(_buffer.AsSpan(0, size));
            return errno != Errno.SUCCESS ? errno : AwaitAck(sequence);
        }
    }

    private Errno Send(ReadOnlySpan<byte> request)
    {
        var kernel = new sockaddr_nl { nl_family = LibC.AF_NETLINK };
        fixed (byte* p = request)
        {
            while (true)
            {
                if (LibC.sendto(_fd.Fd, p, (nuint)request.Length, 0, &kernel, (uint)sizeof(sockaddr_nl)) >= 0) return Errno.SUCCESS;
                var errno = LibC.LastErrno;
                if (errno != Errno.EINTR) return errno;
            }
        }
    }

    /// <summary>Reads until the kernel's NLMSG_ERROR for <paramref name="sequence"/>; stale answers are skipped.</summary>
    private Errno AwaitAck(uint sequence)
    {
        while (true)
        {
            nint n;
            sockaddr_nl from = default;
            uint fromLength = (uint)sizeof(sockaddr_nl);
            fixed (byte* p = _buffer) n = LibC.recvfrom(_fd.Fd, p, (nuint)_buffer.Length, 0, &from, &fromLength);
            if (n < 0)
            {
                var errno = LibC.LastErrno;
                if (errno == Errno.EINTR) continue;
                return errno == Errno.EAGAIN ? Errno.ETIMEDOUT : errno;
            }
            if (from.nl_pid != 0) continue;
            var reader = new NetlinkMessageReader(_buffer.AsSpan(0, (int)n));
            while (reader.TryRead(out var message))
            {
                if (message.Sequence != sequence || message.PortId != _portId || message.Type != Nl.NLMSG_ERROR) continue;
                if (!MemoryMarshal.TryRead(message.Payload, out nlmsgerr error)) return Errno.EIO;
                return (Errno)(-error.error);
            }
        }
    }
}
