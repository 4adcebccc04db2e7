using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using Replicator.ServiceNode.Control;

namespace Replicator.ServiceNode.Tests.Control;

/// <summary>
/// <see cref="ControlSocket.SendAll"/>: the parts of a list in sendmmsg batches, over loopback: every
/// part arrives, in order, byte for byte, from the right address; a part the kernel refuses costs only itself.
/// </summary>
public sealed class ControlSocketSendAllTests : IDisposable
{
    private readonly ControlSocket _control = new(NullLogger<ControlSocket>.Instance);
    private readonly List<Socket> _sockets = [];

    public void Dispose()
    {
        _control.Dispose();
        foreach (var socket in _sockets) socket.Dispose();
    }

    private Socket Vtep(IPAddress address)
    {
        var socket = new Socket(address.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        _sockets.Add(socket);
        socket.Bind(new IPEndPoint(address, 0));
        socket.ReceiveBufferSize = 1 << 20;
        socket.ReceiveTimeout = 5000;
        return socket;
    }

    // More parts than one sendmmsg takes, each with its index in it and a length of its own.
    private static List<byte[]> Parts(int count)
    {
        var parts = new List<byte[]>(count);
        for (int i = 0; i < count; i++)
        {
            var part = new byte[100 + (i * 7 % 300)];
            part.AsSpan().Fill((byte)i);
            BitConverter.TryWriteBytes(part, i);
            parts.Add(part);
        }
        return parts;
    }

    private static void AssertReceived(Socket vtep, IReadOnlyList<byte[]> expected, IPEndPoint expectedFrom)
    {
        var buffer = new byte[70_000];
        foreach (var part in expected)
        {
            EndPoint from = new IPEndPoint(vtep.AddressFamily == AddressFamily.InterNetwork ? IPAddress.Any : IPAddress.IPv6Any, 0);
            int n = vtep.ReceiveFrom(buffer, ref from);
            Assert.Equal(part, buffer[..n]);
            Assert.Equal(expectedFrom, from);
        }
        vtep.ReceiveTimeout = 200;
        Assert.Throws<SocketException>(() => vtep.Receive(buffer)); // nothing more
    }

    [Fact]
    public void SendAll_MorePartsThanOneBatch_AllArriveInOrderFromAnycast()
    {
        var anycast = IPAddress.Parse($"127.0.{Random.Shared.Next(2, 250)}.101");
        _control.Bind(IPAddress.Loopback, 0, anycast);
        var vtep = Vtep(IPAddress.Loopback);
        var parts = Parts(ControlBatch.Capacity * 2 + 5);

        int sent = _control.SendAll(parts, (IPEndPoint)vtep.LocalEndPoint!, ControlSource.Anycast);

        Assert.Equal(parts.Count, sent);
        AssertReceived(vtep, parts, new IPEndPoint(anycast, _control.LocalEndPoint!.Port));
    }

    [Fact]
    public void SendAll_DualStackSocketToIPv4_ArrivesFromTheNodePort()
    {
        _control.Bind(IPAddress.IPv6Any, 0);
        var vtep = Vtep(IPAddress.Loopback);
        var parts = Parts(10);

        int sent = _control.SendAll(parts, (IPEndPoint)vtep.LocalEndPoint!);

        Assert.Equal(parts.Count, sent);
        AssertReceived(vtep, parts, new IPEndPoint(IPAddress.Loopback, _control.LocalEndPoint!.Port));
    }

    [Fact]
    public void SendAll_IPv6_AllArrive()
    {
        _control.Bind(IPAddress.IPv6Loopback, 0);
        var vtep = Vtep(IPAddress.IPv6Loopback);
        var parts = Parts(ControlBatch.Capacity + 1);

        int sent = _control.SendAll(parts, (IPEndPoint)vtep.LocalEndPoint!);

        Assert.Equal(parts.Count, sent);
        AssertReceived(vtep, parts, new IPEndPoint(IPAddress.IPv6Loopback, _control.LocalEndPoint!.Port));
    }

    [Fact]
    public void SendAll_KernelRefusesOnePart_TheOthersStillGoInOrder()
    {
        _control.Bind(IPAddress.Loopback, 0);
        var vtep = Vtep(IPAddress.Loopback);
        var parts = Parts(20);
        parts[7] = new byte[66_000]; // over the largest UDP payload: EMSGSIZE ends the batch there

        int sent = _control.SendAll(parts, (IPEndPoint)vtep.LocalEndPoint!);

        Assert.Equal(parts.Count - 1, sent);
        AssertReceived(vtep, [.. parts[..7], .. parts[8..]], new IPEndPoint(IPAddress.Loopback, _control.LocalEndPoint!.Port));
    }

    [Fact]
    public void SendAll_IPv6DestinationOnIPv4Socket_NoneSentNoThrow()
    {
        _control.Bind(IPAddress.Loopback, 0);

        int sent = _control.SendAll(Parts(3), new IPEndPoint(IPAddress.IPv6Loopback, 9));

        Assert.Equal(0, sent);
    }

    [Fact]
    public void SendAll_AfterDispose_NoneSent()
    {
        _control.Bind(IPAddress.Loopback, 0);
        var vtep = Vtep(IPAddress.Loopback);
        _control.Dispose();

        Assert.Equal(0, _control.SendAll(Parts(3), (IPEndPoint)vtep.LocalEndPoint!));
    }
}
