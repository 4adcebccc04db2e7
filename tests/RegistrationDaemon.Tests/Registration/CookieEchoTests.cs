using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Replicator.Protocol.Control;
using Replicator.RegistrationDaemon.Configuration;
using Replicator.RegistrationDaemon.Registration;
using Replicator.RegistrationDaemon.Tests.Fakes;

namespace Replicator.RegistrationDaemon.Tests.Registration;

/// <summary>vxrd's half of return routability (PROTOCOL.md 5.1): echo the service node's cookie, re-register when it changes.</summary>
public sealed class CookieEchoTests : IDisposable
{
    private static readonly VniAddress P100 = new(100, IPAddress.Parse("198.51.100.1"));
    private readonly FakeTimeProvider _time = new();
    private readonly FakeControlChannel _channel = new();
    private readonly TestMeters _meters = new();

    public void Dispose() => _meters.Dispose();

    private Registrar NewRegistrar() => new(_channel, IPAddress.Parse("203.0.113.1"), new RuntimeSettings(ReplicationMode.HeadEnd, TimeSpan.FromSeconds(90), 3),
        _time, new Random(1), new RegistrationMetrics(_meters, _time), NullLogger.Instance);

    [Fact]
    public void OnContact_NewCookie_RefreshesAtOnceThenAtMostOncePerSecond()
    {
        var registrar = NewRegistrar();
        registrar.Add(P100);
        registrar.SendPending();
        _channel.CookieRenewed = true;
        registrar.OnContact();
        Assert.Equal(_time.GetUtcNow(), registrar.NextDue);
        registrar.OnTimer();
        Assert.Equal(2, _channel.Sent.Count);
        Assert.Equal([P100], _channel.Last.Entries);

        // Another new cookie right away (say, anycast flapping between two nodes): the next refresh waits a second.
        _time.Advance(TimeSpan.FromMilliseconds(200));
        _channel.CookieRenewed = true;
        registrar.OnContact();
        registrar.OnTimer();
        Assert.Equal(2, _channel.Sent.Count);
        Assert.Equal(TimeSpan.FromMilliseconds(800), registrar.NextDue - _time.GetUtcNow());
        _time.Advance(TimeSpan.FromMilliseconds(800));
        registrar.OnTimer();
        Assert.Equal(3, _channel.Sent.Count);
    }

    [Fact]
    public void OnContact_SameCookie_NoExtraRegistration()
    {
        var registrar = NewRegistrar();
        registrar.Add(P100);
        registrar.SendPending();
        registrar.OnContact();
        Assert.True(registrar.NextDue > _time.GetUtcNow() + TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Channel_CookieFromServiceNode_EchoedInNextRegistrationAndRenewedOnlyUntilSent()
    {
        var address = IPAddress.Loopback;
        using var serviceNode = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        serviceNode.Bind(new IPEndPoint(address, 0));
        using var stranger = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        stranger.Bind(new IPEndPoint(address, 0));
        int port = ((IPEndPoint)serviceNode.LocalEndPoint!).Port;
        using var channel = new UdpControlChannel(new StaticSettings(address, port, null, TimeSpan.FromSeconds(10), [], "/tmp/x"),
            new RegistrationMetrics(_meters, _time), NullLogger<UdpControlChannel>.Instance);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await using var updates = channel.ReceiveAsync(cts.Token).GetAsyncEnumerator(cts.Token);

        Assert.Equal(1, channel.Send(new RegistrationBatch(TimeSpan.FromSeconds(90), [P100], WantPeerLists: true)));
        var first = await ReceiveRegister(serviceNode, cts.Token);
        Assert.Null(first.Register.Cookie);
        Assert.False(channel.CookieRenewed);

        // A cookie from another port of the service node's address is dropped before it is read
        // (only the service node's address and port may send peer lists); the service node's is kept.
        byte[] Cookie(UInt128 c) => ControlCodec.Encode(new PeerListMessage(90, [], 1) { Cookie = c });
        await stranger.SendToAsync(Cookie(7), first.From, cts.Token);
        await serviceNode.SendToAsync(Cookie(42), first.From, cts.Token);
        Assert.True(await updates.MoveNextAsync()); // the service node's: the stranger's yielded nothing
        Assert.Empty(updates.Current.Members); // a cookie-only list changes no membership
        Assert.True(channel.CookieRenewed);

        channel.Send(new RegistrationBatch(TimeSpan.FromSeconds(90), [P100], WantPeerLists: true));
        Assert.Equal((UInt128)42, (await ReceiveRegister(serviceNode, cts.Token)).Register.Cookie);
        Assert.False(channel.CookieRenewed);
        cts.Cancel();
    }

    private static async Task<(RegisterMessage Register, EndPoint From)> ReceiveRegister(Socket socket, CancellationToken ct)
    {
        var buffer = new byte[2048];
        var r = await socket.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), ct);
        Assert.True(ControlCodec.TryDecode(buffer.AsSpan(0, r.ReceivedBytes), out var message, out _));
        return (Assert.IsType<RegisterMessage>(message), r.RemoteEndPoint);
    }
}
