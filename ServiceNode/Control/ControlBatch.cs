using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Replicator.Linux.Native;

namespace Replicator.ServiceNode.Control;

/// <summary>
/// Hands the datagrams of one peer list (its parts) to the kernel with one <c>sendmmsg</c> instead of
/// one <c>sendto</c> each: a full list of 5,000 members is 66 datagrams, and the per-call costs (the
/// system call, .NET's per-send socket address) were a good part of vxsnd's control CPU at fleet scale.
/// The datagrams are copied into native memory owned here (no pinning, nothing allocated per send).
/// Not thread-safe: the owner (<see cref="ControlSocket"/>) serialises callers.
/// </summary>
internal sealed unsafe class ControlBatch : IDisposable
{
    /// <summary>Messages per sendmmsg call.</summary>
    public const int Capacity = 64;

    /// <summary>Bytes of datagrams per call: room for the largest datagram several times over.</summary>
    public const int BufferBytes = 256 * 1024;

    private const ushort AfInet = 2, AfInet6 = 10; // linux/socket.h

    private mmsghdr* _messages;
    private iovec* _vectors;
    private byte* _buffer;
    private sockaddr_in6* _name; // one destination per call; a sockaddr_in fits in it too

    public ControlBatch()
    {
        _messages = (mmsghdr*)NativeMemory.AllocZeroed((nuint)(Capacity * sizeof(mmsghdr)));
        _vectors = (iovec*)NativeMemory.AllocZeroed((nuint)(Capacity * sizeof(iovec)));
        _buffer = (byte*)NativeMemory.Alloc(BufferBytes);
        _name = (sockaddr_in6*)NativeMemory.AllocZeroed((nuint)sizeof(sockaddr_in6));
    }

    /// <summary>
    /// Sends <paramref name="datagrams"/> from index <paramref name="start"/> on, as many as fit one
    /// call, to <paramref name="destination"/> over the socket <paramref name="fd"/> of family
    /// <paramref name="family"/> (an IPv4 destination on an IPv6 socket goes as a v4-mapped address).
    /// Returns the datagrams the kernel took (sendmmsg stops at the first that fails), or -1 with
    /// <paramref name="errno"/> when the first failed; false in <paramref name="addressable"/> when the
    /// destination cannot be written for this socket (the caller's ordinary send reports it).
    /// </summary>
    public int Send(int fd, AddressFamily family, IReadOnlyList<byte[]> datagrams, int start, IPEndPoint destination, out Errno errno, out bool addressable)
    {
        errno = Errno.SUCCESS;
        addressable = TryWriteName(family, destination, out uint nameLength);
        if (!addressable || _messages is null) return 0;
        int count = 0, used = 0;
        for (int i = start; i < datagrams.Count && count < Capacity; i++)
        {
            byte[] datagram = datagrams[i];
            if (used + datagram.Length > BufferBytes) break;
            datagram.CopyTo(new Span<byte>(_buffer + used, datagram.Length));
            _vectors[count] = new iovec { iov_base = _buffer + used, iov_len = (nuint)datagram.Length };
            _messages[count] = new mmsghdr { msg_hdr = new msghdr { msg_name = _name, msg_namelen = nameLength, msg_iov = _vectors + count, msg_iovlen = 1 } };
            used += datagram.Length;
            count++;
        }
        if (count == 0) return 0;
        int sent = LibC.sendmmsg(fd, _messages, (uint)count, 0);
        if (sent < 0) errno = LibC.LastErrno;
        return sent;
    }

    // The destination as a sockaddr for a socket of this family; false when it has none (IPv6 to an IPv4 socket).
    private bool TryWriteName(AddressFamily family, IPEndPoint destination, out uint length)
    {
        var address = destination.Address;
        ushort port = BinaryPrimitives.ReverseEndianness((ushort)destination.Port); // network order on this little-endian ABI
        *_name = default;
        if (family == AddressFamily.InterNetwork)
        {
            length = (uint)sizeof(sockaddr_in);
            if (address.AddressFamily != AddressFamily.InterNetwork) return false;
            var v4 = (sockaddr_in*)_name;
            v4->sin_family = AfInet;
            v4->sin_port = port;
            return address.TryWriteBytes(new Span<byte>(&v4->sin_addr, 4), out _);
        }
        length = (uint)sizeof(sockaddr_in6);
        if (family != AddressFamily.InterNetworkV6) return false;
        _name->sin6_family = AfInet6;
        _name->sin6_port = port;
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            // ::ffff:a.b.c.d, as the dual-stack socket expects (written here: MapToIPv6 would allocate).
            _name->sin6_addr[10] = 0xff;
            _name->sin6_addr[11] = 0xff;
            return address.TryWriteBytes(new Span<byte>(_name->sin6_addr + 12, 4), out _);
        }
        _name->sin6_scope_id = (uint)address.ScopeId;
        return address.TryWriteBytes(new Span<byte>(_name->sin6_addr, 16), out _);
    }

    public void Dispose()
    {
        NativeMemory.Free(_messages);
        NativeMemory.Free(_vectors);
        NativeMemory.Free(_buffer);
        NativeMemory.Free(_name);
        _messages = null;
        _vectors = null;
        _buffer = null;
        _name = null;
    }
}
