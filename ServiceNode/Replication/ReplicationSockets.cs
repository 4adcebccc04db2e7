using System.Net;
using System.Net.Sockets;
using Replicator.Linux.Native;

namespace Replicator.ServiceNode.Replication;

/// <summary>Opens and configures a worker's sockets. Start-up only: failures throw <see cref="NativeException"/> naming what failed.</summary>
internal static unsafe class ReplicationSockets
{
    /// <summary>How long a blocking recvmmsg waits before the worker checks for shutdown.</summary>
    public static readonly TimeSpan ReceiveTimeout = TimeSpan.FromMilliseconds(200);

    /// <summary>The SO_REUSEPORT UDP socket a worker receives on; every worker binds the same address and port.</summary>
    public static SafeFileDescriptor OpenReceive(IPEndPoint endPoint, int receiveBufferBytes)
    {
        int family = Family(endPoint.Address);
        var fd = LibC.OpenSocket(family, LibC.SOCK_DGRAM, LibC.IPPROTO_UDP, out Errno errno);
        Check(fd, errno, $"socket(udp) for {endPoint}");
        try
        {
            Check(LibC.SetIntOption(fd.Fd, LibC.SOL_SOCKET, LibC.SO_REUSEPORT, 1), $"SO_REUSEPORT on {endPoint}");
            if (family == LibC.AF_INET6)
            {
                // Only the wildcard listens to both families; a specific IPv6 address is IPv6 only anyway.
                Check(LibC.SetIntOption(fd.Fd, LibC.IPPROTO_IPV6, LibC.IPV6_V6ONLY, endPoint.Address.Equals(IPAddress.IPv6Any) ? 0 : 1), $"IPV6_V6ONLY on {endPoint}");
            }
            if (receiveBufferBytes > 0)
            {
                // FORCE lifts the rmem_max cap when we have CAP_NET_ADMIN; otherwise take what is allowed.
                if (LibC.SetIntOption(fd.Fd, LibC.SOL_SOCKET, LibC.SO_RCVBUFFORCE, receiveBufferBytes) != Errno.SUCCESS)
                    LibC.SetIntOption(fd.Fd, LibC.SOL_SOCKET, LibC.SO_RCVBUF, receiveBufferBytes);
            }
            var timeout = new timeval { tv_sec = 0, tv_usec = (nint)(ReceiveTimeout.TotalMicroseconds) };
            if (LibC.setsockopt(fd.Fd, LibC.SOL_SOCKET, LibC.SO_RCVTIMEO, &timeout, (uint)sizeof(timeval)) != 0)
                throw new NativeException($"SO_RCVTIMEO on {endPoint}", LibC.LastErrno);
            Bind(fd, endPoint);
            Replicator.Hosting.Metrics.SocketDrops.Register("data", fd);
            return fd;
        }
        catch
        {
            fd.Dispose();
            throw;
        }
    }

    /// <summary>A raw socket that takes our IP header (IPv4 IP_HDRINCL, IPv6 IPV6_HDRINCL); needs CAP_NET_RAW.</summary>
    public static SafeFileDescriptor OpenRaw(bool ipv6, int sendBufferBytes)
    {
        int family = ipv6 ? LibC.AF_INET6 : LibC.AF_INET;
        var fd = LibC.OpenSocket(family, LibC.SOCK_RAW, LibC.IPPROTO_RAW, out Errno errno);
        Check(fd, errno, ipv6 ? "socket(AF_INET6, SOCK_RAW) (needs CAP_NET_RAW)" : "socket(AF_INET, SOCK_RAW) (needs CAP_NET_RAW)");
        try
        {
            Check(ipv6
                ? LibC.SetIntOption(fd.Fd, LibC.IPPROTO_IPV6, LibC.IPV6_HDRINCL, 1)
                : LibC.SetIntOption(fd.Fd, LibC.IPPROTO_IP, LibC.IP_HDRINCL, 1), ipv6 ? "IPV6_HDRINCL" : "IP_HDRINCL");
            SetSendBuffer(fd, sendBufferBytes);
            return fd;
        }
        catch
        {
            fd.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The packet path's AF_PACKET socket: SOCK_RAW (we write the Ethernet header), protocol 0 so it
    /// receives nothing, unbound (every copy names its egress interface in a sockaddr_ll), and
    /// PACKET_QDISC_BYPASS so frames go straight to the driver. Needs CAP_NET_RAW.
    /// </summary>
    public static SafeFileDescriptor OpenPacket(int sendBufferBytes)
    {
        var fd = LibC.OpenSocket(LibC.AF_PACKET, LibC.SOCK_RAW, 0, out Errno errno);
        Check(fd, errno, "socket(AF_PACKET, SOCK_RAW) (needs CAP_NET_RAW)");
        try
        {
            Check(LibC.SetIntOption(fd.Fd, LibC.SOL_PACKET, LibC.PACKET_QDISC_BYPASS, 1), "PACKET_QDISC_BYPASS");
            SetSendBuffer(fd, sendBufferBytes);
            return fd;
        }
        catch
        {
            fd.Dispose();
            throw;
        }
    }

    /// <summary>Node mode: a UDP socket on this node's address (ephemeral port, so it joins no SO_REUSEPORT group).</summary>
    public static SafeFileDescriptor OpenNodeSend(IPAddress address, int ttl, int sendBufferBytes)
    {
        int family = Family(address);
        var fd = LibC.OpenSocket(family, LibC.SOCK_DGRAM, LibC.IPPROTO_UDP, out Errno errno);
        Check(fd, errno, $"socket(udp) for sending from {address}");
        try
        {
            Check(family == LibC.AF_INET6
                ? LibC.SetIntOption(fd.Fd, LibC.IPPROTO_IPV6, LibC.IPV6_UNICAST_HOPS, ttl)
                : LibC.SetIntOption(fd.Fd, LibC.IPPROTO_IP, LibC.IP_TTL, ttl), "TTL of the send socket");
            SetSendBuffer(fd, sendBufferBytes);
            Bind(fd, new IPEndPoint(address, 0));
            return fd;
        }
        catch
        {
            fd.Dispose();
            throw;
        }
    }

    /// <summary>The address and port a socket is bound to (the real port when 0 was asked).</summary>
    public static IPEndPoint LocalEndPoint(SafeFileDescriptor fd)
    {
        Span<byte> name = stackalloc byte[32];
        uint length = 32;
        fixed (byte* p = name)
        {
            if (LibC.getsockname(fd.Fd, p, &length) != 0) throw new NativeException("getsockname", LibC.LastErrno);
        }
        return SocketAddresses.Read(name);
    }

    public static int Family(IPAddress address) => address.AddressFamily == AddressFamily.InterNetworkV6 ? LibC.AF_INET6 : LibC.AF_INET;

    private static void Bind(SafeFileDescriptor fd, IPEndPoint endPoint)
    {
        Span<byte> name = stackalloc byte[32];
        int length = SocketAddresses.Write(endPoint, name);
        fixed (byte* p = name)
        {
            if (LibC.bind(fd.Fd, p, (uint)length) != 0) throw new NativeException($"bind to {endPoint}", LibC.LastErrno);
        }
    }

    private static void SetSendBuffer(SafeFileDescriptor fd, int bytes)
    {
        if (LibC.SetIntOption(fd.Fd, LibC.SOL_SOCKET, LibC.SO_SNDBUFFORCE, bytes) != Errno.SUCCESS)
            LibC.SetIntOption(fd.Fd, LibC.SOL_SOCKET, LibC.SO_SNDBUF, bytes);
    }

    private static void Check(SafeFileDescriptor fd, Errno errno, string what)
    {
        if (!fd.IsInvalid) return;
        fd.Dispose();
        throw new NativeException(what, errno);
    }

    private static void Check(Errno errno, string what)
    {
        if (errno != Errno.SUCCESS) throw new NativeException(what, errno);
    }
}
