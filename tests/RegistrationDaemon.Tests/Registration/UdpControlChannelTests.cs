using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Replicator.Protocol.Control;
using Replicator.RegistrationDaemon.Configuration;
using Replicator.RegistrationDaemon.Registration;
using Replicator.RegistrationDaemon.Tests.Fakes;

namespace Replicator.RegistrationDaemon.Tests.Registration;

/// <summary>The channel against a stand-in service node socket on loopback (real datagrams, real codec).</summary>
public sealed class UdpControlChannelTests
{
    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("::1")]
    public async Task SendAndReceive_Loopback_RegistersAndYieldsPeerList(string loopback)
    {
        var address = IPAddress.Parse(loopback);
        using var serviceNode = new Socket(address.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        serviceNode.Bind(new IPEndPoint(address, 0));
        int port = ((IPEndPoint)serviceNode.LocalEndPoint!).Port;
        using var meters = new TestMeters();
        using var channel = new UdpControlChannel(new StaticSettings(address, port, null, TimeSpan.FromSeconds(10), [], "/tmp/x"),
            new RegistrationMetrics(meters, new FakeTimeProvider()), NullLogger<UdpControlChannel>.Instance);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var updates = channel.ReceiveAsync(cts.Token).GetAsyncEnumerator(cts.Token);
        var next = updates.MoveNextAsync();

        // 600 VNIs do not fit one datagram: the codec splits, each part a complete registration.
        var entries = Enumerable.Range(1, 600).Select(v => new VniAddress((uint)v, IPAddress.Parse("2001:db8::5"))).ToList();
        int sent = channel.Send(new RegistrationBatch(TimeSpan.FromSeconds(90), entries, WantPeerLists: true));
        Assert.True(sent > 1);
        var buffer = new byte[65536];
        var seen = new HashSet<uint>();
        EndPoint from = new IPEndPoint(address, 0);
        for (int i = 0; i < sent; i++)
        {
            var r = await serviceNode.ReceiveFromAsync(buffer, SocketFlags.None, from, cts.Token);
            from = r.RemoteEndPoint;
            Assert.True(ControlCodec.TryDecode(buffer.AsSpan(0, r.ReceivedBytes), out var message, out var error), error.ToString());
            var register = Assert.IsType<RegisterMessage>(message);
            Assert.Equal(90u, register.HoldTimeSeconds);
            Assert.Equal(WireResponseWanted.RegisteredVnis, register.ResponseWanted);
            Assert.Equal(channel.NodeId, register.NodeId);
            foreach (var v in register.Vnis) seen.Add(v.Vni);
        }
        Assert.Equal(600, seen.Count);

        // Garbage is counted and skipped; the peer list after it comes through with its sender.
        await serviceNode.SendToAsync(new byte[] { 1, 2, 3 }, SocketFlags.None, from, cts.Token);
        var answer = ControlCodec.Encode(new PeerListMessage(90, [new VniAddresses(100, [IPAddress.Parse("192.0.2.1"), IPAddress.Parse("192.0.2.2")])]));
        await serviceNode.SendToAsync(answer, SocketFlags.None, from, cts.Token);
        Assert.True(await next);
        var update = updates.Current;
        Assert.Equal(port, update.Sender.Port);
        Assert.Equal(2, update.Members[100].Count);
        Assert.Equal(1, meters.Total("vxrd.control.dropped", "reason=malformed"));
        cts.Cancel();
        await updates.DisposeAsync();
    }

    [Fact]
    public async Task ReceiveAsync_PeerListsFromAnotherPortOrAddress_DroppedBeforeDecodingRealOneYielded()
    {
        var address = IPAddress.Loopback;
        using var serviceNode = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        serviceNode.Bind(new IPEndPoint(address, 0));
        int port = ((IPEndPoint)serviceNode.LocalEndPoint!).Port;
        using var otherPort = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        otherPort.Bind(new IPEndPoint(address, 0));
        using var otherAddress = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        otherAddress.Bind(new IPEndPoint(IPAddress.Parse("127.0.0.2"), 0));
        using var meters = new TestMeters();
        using var channel = new UdpControlChannel(new StaticSettings(address, port, null, TimeSpan.FromSeconds(10), [], "/tmp/x"),
            new RegistrationMetrics(meters, new FakeTimeProvider()), NullLogger<UdpControlChannel>.Instance);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var updates = channel.ReceiveAsync(cts.Token).GetAsyncEnumerator(cts.Token);
        var next = updates.MoveNextAsync();
        channel.Send(new RegistrationBatch(TimeSpan.FromSeconds(90), [new VniAddress(100, IPAddress.Parse("192.0.2.11"))], WantPeerLists: true));
        var r = await serviceNode.ReceiveFromAsync(new byte[65536], SocketFlags.None, new IPEndPoint(address, 0), cts.Token);
        var vxrd = r.RemoteEndPoint;

        var spoofed = ControlCodec.Encode(new PeerListMessage(90, [new VniAddresses(100, [IPAddress.Parse("192.0.2.66")])], 9));
        await otherPort.SendToAsync(spoofed, SocketFlags.None, vxrd, cts.Token);
        await otherAddress.SendToAsync(spoofed, SocketFlags.None, vxrd, cts.Token);
        // A first part announcing 65535 parts from another port is not even decoded, let alone kept.
        await otherPort.SendToAsync(ControlCodec.Encode(new PeerListMessage(90, [], 10, 0, 65535)), SocketFlags.None, vxrd, cts.Token);
        var real = ControlCodec.Encode(new PeerListMessage(90, [new VniAddresses(100, [IPAddress.Parse("192.0.2.12")])], 11));
        await serviceNode.SendToAsync(real, SocketFlags.None, vxrd, cts.Token);
        Assert.True(await next);
        Assert.Equal(["192.0.2.12"], updates.Current.Members[100].Select(a => a.ToString()));
        Assert.Equal(2, meters.Total("vxrd.control.dropped", "reason=bad_port"));
        Assert.Equal(1, meters.Total("vxrd.control.dropped", "reason=bad_sender"));
        cts.Cancel();
        await updates.DisposeAsync();
    }

    [Fact]
    public async Task Send_AskedToNameTheIncompleteList_CarriesTheHeldPartsOfTheNewest()
    {
        var address = IPAddress.Loopback;
        using var serviceNode = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        serviceNode.Bind(new IPEndPoint(address, 0));
        int port = ((IPEndPoint)serviceNode.LocalEndPoint!).Port;
        using var meters = new TestMeters();
        using var channel = new UdpControlChannel(new StaticSettings(address, port, null, TimeSpan.FromSeconds(10), [], "/tmp/x"),
            new RegistrationMetrics(meters, new FakeTimeProvider()), NullLogger<UdpControlChannel>.Instance);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var entries = new List<VniAddress> { new(100, IPAddress.Parse("192.0.2.5")) };
        channel.Send(new RegistrationBatch(TimeSpan.FromSeconds(90), entries, WantPeerLists: true));
        var buffer = new byte[65536];
        var first = await serviceNode.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(address, 0), cts.Token);
        Assert.Null(((RegisterMessage)Decode(buffer, first.ReceivedBytes)).Incomplete);

        // Parts 0, 1 and 3 of a 4-part list arrive; part 2 is lost.
        var members = Enumerable.Range(1, 300).Select(i => IPAddress.Parse($"2001:db8::{i:x}")).ToList();
        var parts = ControlCodec.EncodePeerList(new PeerListMessage(90, [new VniAddresses(100, members)], Generation: 21) { Generations = [new VniGeneration(100, 5)] });
        Assert.Equal(4, parts.Count);
        var updates = channel.ReceiveAsync(cts.Token).GetAsyncEnumerator(cts.Token);
        foreach (int i in new[] { 0, 1, 3 })
        {
            await serviceNode.SendToAsync(parts[i], SocketFlags.None, first.RemoteEndPoint, cts.Token);
            Assert.True(await updates.MoveNextAsync());
            Assert.True(updates.Current.IsPart);
        }

        channel.Send(new RegistrationBatch(TimeSpan.FromSeconds(90), entries, WantPeerLists: true) { Generations = new Dictionary<uint, uint> { [100] = 0 }, NameIncompleteList = true });

        var second = await serviceNode.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(address, 0), cts.Token);
        var register = (RegisterMessage)Decode(buffer, second.ReceivedBytes);
        Assert.Equal(new IncompleteList(21, 4, [0b1101_0000]), register.Incomplete);
        cts.Cancel();
        await updates.DisposeAsync();
    }

    private static ControlMessage Decode(byte[] buffer, int length)
    {
        Assert.True(ControlCodec.TryDecode(buffer.AsSpan(0, length), out var message, out var error), error.ToString());
        return message;
    }
}
