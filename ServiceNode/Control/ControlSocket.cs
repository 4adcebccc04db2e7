using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace Replicator.ServiceNode.Control;

/// <summary>
/// The control protocol's UDP socket, shared by the receiver and the senders (answers, pushes).
/// Bound once at start; sends before binding or after closing are silently skipped.
/// </summary>
public sealed class ControlSocket(ILogger<ControlSocket> logger) : IDisposable
{
    private Socket? _socket;

    /// <summary>The bound local endpoint (the actual port when 0 was configured); null before binding.</summary>
    public IPEndPoint? LocalEndPoint { get; private set; }

    internal Socket? Socket => _socket;

    /// <summary>Binds to <paramref name="address"/>:<paramref name="port"/>; "::" is dual stack.</summary>
    /// <exception cref="SocketException">The address is not local or the port is in use.</exception>
    public void Bind(IPAddress address, int port)
    {
        if (_socket is not null) throw new InvalidOperationException("the control socket is already bound");
        var socket = new Socket(address.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            if (address.AddressFamily == AddressFamily.InterNetworkV6) socket.DualMode = address.Equals(IPAddress.IPv6Any);
            socket.Bind(new IPEndPoint(address, port));
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        _socket = socket;
        LocalEndPoint = (IPEndPoint)socket.LocalEndPoint!;
    }

    /// <summary>Sends one datagram; failures (unreachable, buffer full) are logged at debug and reported as false.</summary>
    public bool Send(ReadOnlySpan<byte> datagram, IPEndPoint destination)
    {
        var socket = _socket;
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

    private static IPEndPoint Map(Socket socket, IPEndPoint destination) =>
        socket.AddressFamily == AddressFamily.InterNetworkV6 && destination.AddressFamily == AddressFamily.InterNetwork
            ? new IPEndPoint(destination.Address.MapToIPv6(), destination.Port)
            : destination;

    public void Dispose()
    {
        Interlocked.Exchange(ref _socket, null)?.Dispose();
    }
}
