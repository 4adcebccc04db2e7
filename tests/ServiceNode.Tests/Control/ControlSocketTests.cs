using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using Replicator.ServiceNode.Control;

namespace Replicator.ServiceNode.Tests.Control;

/// <summary>
/// The node socket and the anycast socket on one port, over loopback (127.0.0.0/8 is all local):
/// which socket a datagram reaches, and which address a reply leaves from.
/// </summary>
public sealed class ControlSocketTests : IDisposable
{
    private readonly ControlSocket _control = new(NullLogger<ControlSocket>.Instance);
    private readonly Socket _vtep = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private readonly IPAddress _anycast = IPAddress.Parse($"127.0.{Random.Shared.Next(2, 250)}.100");

    public ControlSocketTests()
    {
        _vtep.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _vtep.ReceiveTimeout = 2000;
    }

    public void Dispose()
    {
        _control.Dispose();
        _vtep.Dispose();
    }

    private static byte[] Receive(Socket socket, out IPEndPoint from)
    {
        var buffer = new byte[64];
        EndPoint any = new IPEndPoint(IPAddress.Any, 0);
        socket.ReceiveTimeout = 2000;
        int n = socket.ReceiveFrom(buffer, ref any);
        from = (IPEndPoint)any;
        return buffer[..n];
    }

    [Fact]
    public void Bind_NodeAddressWithAnycast_BothOnTheSamePort()
    {
        _control.Bind(IPAddress.Loopback, 0, _anycast);

        Assert.NotEqual(0, _control.LocalEndPoint!.Port);
        Assert.Equal(new IPEndPoint(_anycast, _control.LocalEndPoint.Port), _control.AnycastEndPoint);
    }

    [Fact]
    public void Bind_ReceiveBuffer_BothSocketsGetAtLeastIt()
    {
        const int Bytes = 8 * 1024 * 1024;
        _control.Bind(IPAddress.Loopback, 0, _anycast, Bytes);

        // The kernel reports twice what was set (its bookkeeping); without CAP_NET_ADMIN it is capped at
        // net.core.rmem_max, so only ask for the whole of it when the test may force it.
        int expected = Environment.UserName == "root" ? Bytes : Math.Min(Bytes, int.Parse(File.ReadAllText("/proc/sys/net/core/rmem_max")));
        Assert.True(_control.ReceiveBufferBytes >= expected, $"{_control.ReceiveBufferBytes} < {expected}");
        Assert.True(_control.AnycastSocket!.ReceiveBufferSize >= expected);
    }

    [Fact]
    public void Bind_NoReceiveBuffer_KernelDefault()
    {
        _control.Bind(IPAddress.Loopback, 0);

        Assert.Equal(int.Parse(File.ReadAllText("/proc/sys/net/core/rmem_default")), _control.ReceiveBufferBytes);
    }

    /// <summary>No SO_REUSEADDR: a wildcard covers the anycast's port, so the pair cannot bind (validation says so first).</summary>
    [Fact]
    public void Bind_WildcardWithAnycast_ThrowsAndNothingStaysBound()
    {
        int port = FreePort();

        Assert.Throws<SocketException>(() => _control.Bind(IPAddress.Any, port, _anycast));

        Assert.Null(_control.LocalEndPoint);
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        probe.Bind(new IPEndPoint(IPAddress.Any, port)); // the wildcard socket was closed again
    }

    /// <summary>Nothing else may bind beside the control sockets, whatever options it sets.</summary>
    [Fact]
    public void Bind_Anycast_AnotherSocketWithReuseAddressCannotShareThePort()
    {
        _control.Bind(IPAddress.Loopback, 0, _anycast);
        using var intruder = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        intruder.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);

        Assert.Throws<SocketException>(() => intruder.Bind(_control.AnycastEndPoint!));
        Assert.Throws<SocketException>(() => intruder.Bind(_control.LocalEndPoint!));
    }

    private static int FreePort()
    {
        using var s = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        s.Bind(new IPEndPoint(IPAddress.Any, 0));
        return ((IPEndPoint)s.LocalEndPoint!).Port;
    }

    [Fact]
    public void Bind_AnycastEqualToControlAddress_OneSocketOnly()
    {
        _control.Bind(_anycast, 0, _anycast);

        Assert.Null(_control.AnycastEndPoint);
        Assert.Null(_control.AnycastSocket);
    }

    [Fact]
    public void Receive_DatagramToAnycast_ReachesTheAnycastSocketOthersTheNodeSocket()
    {
        _control.Bind(IPAddress.Loopback, 0, _anycast);
        int port = _control.LocalEndPoint!.Port;

        _vtep.SendTo([1], new IPEndPoint(_anycast, port));
        _vtep.SendTo([2], new IPEndPoint(IPAddress.Loopback, port));

        Assert.Equal([1], Receive(_control.AnycastSocket!, out _));
        Assert.Equal([2], Receive(_control.Socket!, out _));
    }

    [Fact]
    public void Send_FromAnycast_LeavesFromTheAnycastAddressFromNodeFromTheOther()
    {
        _control.Bind(IPAddress.Loopback, 0, _anycast);
        var vtep = (IPEndPoint)_vtep.LocalEndPoint!;

        Assert.True(_control.Send([7], vtep, ControlSource.Anycast));
        Receive(_vtep, out var fromAnycast);
        Assert.True(_control.Send([8], vtep, ControlSource.Node));
        Receive(_vtep, out var fromNode);

        Assert.Equal(new IPEndPoint(_anycast, _control.LocalEndPoint!.Port), fromAnycast);
        Assert.Equal(_control.LocalEndPoint, fromNode);
    }

    [Fact]
    public void Send_FromAnycastWithoutAnycastSocket_FallsBackToTheNodeSocket()
    {
        _control.Bind(IPAddress.Loopback, 0);

        Assert.True(_control.Send([9], (IPEndPoint)_vtep.LocalEndPoint!, ControlSource.Anycast));
        Receive(_vtep, out var from);

        Assert.Equal(_control.LocalEndPoint, from);
    }

    /// <summary>The node socket binds, the anycast socket cannot: the node socket is closed again.</summary>
    [Fact]
    public void Bind_PortTakenOnTheAnycastAddress_ThrowsAndNothingStaysBound()
    {
        using var squatter = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        squatter.Bind(new IPEndPoint(_anycast, 0));
        int port = ((IPEndPoint)squatter.LocalEndPoint!).Port;

        Assert.Throws<SocketException>(() => _control.Bind(IPAddress.Loopback, port, _anycast));

        Assert.Null(_control.LocalEndPoint);
        Assert.False(_control.Send([1], (IPEndPoint)_vtep.LocalEndPoint!));
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, port)); // the node socket was closed again
    }
}
