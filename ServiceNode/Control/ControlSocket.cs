using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace Replicator.ServiceNode.Control;

/// <summary>
/// The control protocol's UDP sockets, shared by the receiver and the senders (answers, pushes,
/// relays, keepalives): one on <c>ControlAddress</c> and, with an <c>AnycastAddress</c> other than
/// it, a second one on the anycast address and the same port. A clustered node's relays leave from
/// its own unicast address (<c>ControlAddress</c>; peers recognise each other by it), while VTEPs
/// accept peer lists only from the anycast address they registered with, so what goes to VTEPs
/// leaves through the anycast socket. Neither socket sets SO_REUSEADDR or SO_REUSEPORT: nothing else,
/// no second vxsnd and no other user, can bind the port beside them. That is why a wildcard
/// <c>ControlAddress</c> cannot be combined with an anycast socket (validation refuses it).
/// Bound once at start; sends before binding or after closing are silently skipped.
/// </summary>
internal sealed class ControlSocket(ILogger<ControlSocket> logger) : IDisposable
{
    // Linux values (linux/in.h, linux/in6.h, asm-generic/socket.h).
    private const int SolSocket = 1, SoRcvBufForce = 33;
    private const int SolIp = 0, IpFreebind = 15;
    private const int SolIpv6 = 41, Ipv6Freebind = 78;

    private Socket? _socket;
    private Socket? _anycast;
    private readonly Lock _batchLock = new();
    private ControlBatch? _batch; // native memory for SendAll's sendmmsg calls, made at the first batch

    /// <summary>The bound <c>ControlAddress</c> endpoint (the actual port when 0 was configured); null before binding.</summary>
    public IPEndPoint? LocalEndPoint { get; private set; }

    /// <summary>The bound anycast endpoint, or null without one.</summary>
    public IPEndPoint? AnycastEndPoint { get; private set; }

    /// <summary>The node socket's receive buffer as the kernel reports it (twice what was set: its bookkeeping); 0 before binding.</summary>
    public int ReceiveBufferBytes { get; private set; }

    internal Socket? Socket => _socket;

    internal Socket? AnycastSocket => _anycast;

    /// <summary>
    /// Binds to <paramref name="address"/>:<paramref name="port"/> ("::" is dual stack) and, when
    /// <paramref name="anycast"/> is another address, a second socket to it on the same port. The
    /// anycast socket binds even while the address is not yet local (IP_FREEBIND): with
    /// <c>InstallAnycast</c> it appears on the loopback only once the node is ready. A
    /// <paramref name="receiveBufferBytes"/> above 0 sizes both sockets' receive buffers, so that a
    /// fleet registering at once waits in the buffer instead of being dropped by the kernel.
    /// </summary>
    /// <exception cref="SocketException">
    /// The address is not local or the port is in use (also by the other socket: a wildcard
    /// <paramref name="address"/> covers the anycast address); nothing stays bound.
    /// </exception>
    public void Bind(IPAddress address, int port, IPAddress? anycast = null, int receiveBufferBytes = 0)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (_socket is not null) throw new InvalidOperationException("the control socket is already bound");
        bool second = anycast is not null && !anycast.Equals(address);
        var socket = Open(address, port, freebind: false, receiveBufferBytes);
        Socket? anycastSocket = null;
        if (second)
        {
            try
            {
                // Same port as the node socket (which may have been 0, then chosen by the kernel).
                anycastSocket = Open(anycast!, ((IPEndPoint)socket.LocalEndPoint!).Port, freebind: true, receiveBufferBytes);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }
        _socket = socket;
        _anycast = anycastSocket;
        Replicator.Hosting.Metrics.SocketDrops.Register("control", socket.SafeHandle);
        if (anycastSocket is not null) Replicator.Hosting.Metrics.SocketDrops.Register("control_anycast", anycastSocket.SafeHandle);
        LocalEndPoint = (IPEndPoint)socket.LocalEndPoint!;
        ReceiveBufferBytes = socket.ReceiveBufferSize;
        AnycastEndPoint = (IPEndPoint?)anycastSocket?.LocalEndPoint;
    }

    private static Socket Open(IPAddress address, int port, bool freebind, int receiveBufferBytes)
    {
        var socket = new Socket(address.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            bool v6 = address.AddressFamily == AddressFamily.InterNetworkV6;
            if (v6) socket.DualMode = address.Equals(IPAddress.IPv6Any);
            if (freebind)
            {
                if (v6) socket.SetRawSocketOption(SolIpv6, Ipv6Freebind, BitConverter.GetBytes(1));
                else socket.SetRawSocketOption(SolIp, IpFreebind, BitConverter.GetBytes(1));
            }
            if (receiveBufferBytes > 0) SetReceiveBuffer(socket, receiveBufferBytes);
            socket.Bind(new IPEndPoint(address, port));
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    // SO_RCVBUFFORCE (with CAP_NET_ADMIN, which vxsnd has for the data plane) may go past
    // net.core.rmem_max; without the capability SO_RCVBUF gets as much as rmem_max allows.
    private static void SetReceiveBuffer(Socket socket, int bytes)
    {
        try
        {
            socket.SetRawSocketOption(SolSocket, SoRcvBufForce, BitConverter.GetBytes(bytes));
        }
        catch (SocketException)
        {
            socket.ReceiveBufferSize = bytes;
        }
    }

    /// <summary>
    /// Sends one datagram from <paramref name="from"/> (the node socket when there is no anycast
    /// socket); failures (unreachable, buffer full) are logged at debug and reported as false.
    /// </summary>
    public bool Send(ReadOnlySpan<byte> datagram, IPEndPoint destination, ControlSource from = ControlSource.Node)
    {
        var socket = from == ControlSource.Anycast ? _anycast ?? _socket : _socket;
        if (socket is null) return false;
        try
        {
            socket.SendTo(datagram, SocketFlags.None, Map(socket, destination));
            return true;
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            ControlLog.SendFailed(logger, destination, ex.Message);
            return false;
        }
    }

    /// <summary>
    /// Sends the datagrams of one peer list to <paramref name="destination"/> in order, as few
    /// <c>sendmmsg</c> calls as they fit (<see cref="ControlBatch"/>); returns how many were sent.
    /// A datagram the kernel refuses goes once more through <see cref="Send"/>, which reports it as
    /// before (logged, not counted), and the rest follow. A single datagram goes this way too: it
    /// allocates nothing (SendTo(EndPoint) makes a socket address per call). Safe from any thread
    /// (one batch at a time).
    /// </summary>
    public int SendAll(IReadOnlyList<byte[]> datagrams, IPEndPoint destination, ControlSource from = ControlSource.Node)
    {
        ArgumentNullException.ThrowIfNull(datagrams);
        ArgumentNullException.ThrowIfNull(destination);
        var socket = from == ControlSource.Anycast ? _anycast ?? _socket : _socket;
        if (socket is null) return 0;
        int sent = 0, next = 0;
        bool added = false;
        var handle = socket.SafeHandle;
        try
        {
            handle.DangerousAddRef(ref added); // the fd stays open (and is not reused) while the kernel has it
            lock (_batchLock)
            {
                _batch ??= new ControlBatch();
                while (next < datagrams.Count)
                {
                    int n = _batch.Send((int)handle.DangerousGetHandle(), socket.AddressFamily, datagrams, next, destination, out _, out bool addressable);
                    if (n > 0)
                    {
                        sent += n;
                        next += n;
                        continue;
                    }
                    // Refused (buffer full, unreachable, ...) or not addressable from this socket: the
                    // ordinary send waits, retries or reports it as it always has.
                    if (!addressable)
                    {
                        for (; next < datagrams.Count; next++) if (Send(datagrams[next], destination, from)) sent++;
                        break;
                    }
                    if (Send(datagrams[next++], destination, from)) sent++;
                }
            }
        }
        catch (ObjectDisposedException)
        {
            return sent; // closed while sending: the stop
        }
        finally
        {
            if (added) handle.DangerousRelease();
        }
        return sent;
    }

    private static IPEndPoint Map(Socket socket, IPEndPoint destination) =>
        socket.AddressFamily == AddressFamily.InterNetworkV6 && destination.AddressFamily == AddressFamily.InterNetwork
            ? new IPEndPoint(destination.Address.MapToIPv6(), destination.Port)
            : destination;

    public void Dispose()
    {
        lock (_batchLock)
        {
            _batch?.Dispose();
            _batch = null;
        }
        Interlocked.Exchange(ref _anycast, null)?.Dispose();
        Interlocked.Exchange(ref _socket, null)?.Dispose();
    }
}
