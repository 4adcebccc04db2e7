using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Replicator.Protocol.Control;
using Replicator.ServiceNode.Configuration;
using Replicator.ServiceNode.Control;
using Replicator.ServiceNode.Hardening;
using Replicator.ServiceNode.Registry;
using Replicator.TestSupport;
using Replicator.TestSupport.Configuration;

namespace Replicator.ServiceNode.Tests.Control;

/// <summary>The return-routability budget where peer lists leave (answers and pushes), on loopback sockets.</summary>
public sealed class PeerListSenderTests : IDisposable
{
    private readonly FakeTimeProvider _time = new();
    private readonly ControlSocket _socket = new(NullLogger<ControlSocket>.Instance);
    private readonly Socket _a = Bound();
    private readonly Socket _b = Bound(IPAddress.Parse("127.0.0.2"));
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly ServiceNode.Registry.Registry _registry;
    private readonly ReturnRoutability _rr;
    private readonly PeerListSender _sender;

    public PeerListSenderTests()
    {
        _socket.Bind(IPAddress.Loopback, 0);
        var options = TestOptions.Reloadable<RegistryOptions>(RegistryOptions.SectionName);
        _rr = new ReturnRoutability(100, enabled: true, new ReturnRoutabilityMetrics(_services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>()), _time, new ReturnCookies());
        _sender = new PeerListSender(_socket, options, returnRoutability: _rr);
        _registry = new(new RegistryLimits(10_000, 10_000, TimeSpan.FromSeconds(90)), _time, new MemberTable());
        var members = Enumerable.Range(1, 100).Select(i => VtepAddress.FromIPAddress(new IPAddress([198, 51, 100, (byte)i]))).ToArray();
        _registry.Apply(new Registration("crowd", TimeSpan.FromSeconds(90), false, ServiceNode.Registry.ResponseWanted.None, [new VniRegistration(7, members)]));
    }

    public void Dispose()
    {
        _socket.Dispose();
        _a.Dispose();
        _b.Dispose();
        _services.Dispose();
    }

    private static Socket Bound(IPAddress? address = null)
    {
        var s = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { ReceiveTimeout = 2000 };
        s.Bind(new IPEndPoint(address ?? IPAddress.Loopback, 0));
        return s;
    }

    private static PeerListMessage Receive(Socket s)
    {
        var buffer = new byte[2048];
        int n = s.Receive(buffer);
        Assert.True(ControlCodec.TryDecode(buffer.AsSpan(0, n), out var m, out _));
        return Assert.IsType<PeerListMessage>(m);
    }

    private static RegisterMessage Register(UInt128? cookie = null) =>
        new RegisterMessage("a", 90, false, Protocol.Control.WireResponseWanted.RegisteredVnis, [new VniAddresses(7, [IPAddress.Parse("192.0.2.1")])]) { Cookie = cookie };

    private IPEndPoint A => (IPEndPoint)_a.LocalEndPoint!;

    private IPEndPoint B => (IPEndPoint)_b.LocalEndPoint!;

    [Fact]
    public void Send_UnprovenAnswerOverBudget_OneCookieOnlyListInstead()
    {
        _sender.OnRegistrationReceived(Register(), A, 40); // credit 120, the list is about 640 bytes
        Assert.Equal(1, _sender.Send(_registry, [7], A));
        var list = Receive(_a);
        Assert.Empty(list.Vnis);
        Assert.Equal(_rr.CookieFor(A.Address), list.Cookie);
        Assert.Equal(1, _rr.Metrics.Withheld);
        Assert.Equal(1, _rr.Metrics.CookieLists);
        Assert.Equal(0, _a.Available);
    }

    [Fact]
    public void Send_EveryKindOfList_NamesThisRunsInstance()
    {
        // PROTOCOL.md 5.3: a VTEP tells a restart by the instance, so every list the node sends names the same one.
        Assert.NotEqual(0u, _sender.Instance);
        _sender.OnRegistrationReceived(Register(), A, 40);
        _sender.Send(_registry, [7], A); // over budget: the cookie-only list
        Assert.Equal(_sender.Instance, Receive(_a).Instance);
        _sender.OnRegistrationReceived(Register(_rr.CookieFor(A.Address)), A, 57);
        _sender.Send(_registry, [7], A);
        Assert.Equal(_sender.Instance, Receive(_a).Instance);
        _sender.SendEncoded(_sender.EncodeDeltas([new PeerListDelta(7, 1, 2, [IPAddress.Parse("192.0.2.9")], [])]), A);
        Assert.Equal(_sender.Instance, Receive(_a).Instance);
        _sender.SendEncoded(_sender.EncodeFull([new VniAddresses(7, [IPAddress.Parse("192.0.2.9")])], [new VniGeneration(7, 2)]), A);
        Assert.Equal(_sender.Instance, Receive(_a).Instance);
    }

    [Fact]
    public void Send_ProvenByEchoedCookie_WholeListWithItsCookie()
    {
        _sender.OnRegistrationReceived(Register(_rr.CookieFor(A.Address)), A, 57);
        Assert.Equal(1, _sender.Send(_registry, [7], A));
        var list = Receive(_a);
        Assert.Equal(100, Assert.Single(list.Vnis).Addresses.Count);
        Assert.Equal(_rr.CookieFor(A.Address), list.Cookie);
        Assert.Equal(0, _rr.Metrics.Withheld);
    }

    [Fact]
    public void SendEncoded_PushToTwoSubscribers_EachGetsItsOwnCookie()
    {
        foreach (var s in new[] { A, B }) _sender.OnRegistrationReceived(Register(_rr.CookieFor(s.Address)), s, 57);
        var datagrams = _sender.Encode(_registry, [7]);
        Assert.Equal(1, _sender.SendEncoded(datagrams, A));
        Assert.Equal(1, _sender.SendEncoded(datagrams, B));
        UInt128? a = Receive(_a).Cookie, b = Receive(_b).Cookie;
        Assert.Equal(_rr.CookieFor(A.Address), a);
        Assert.Equal(_rr.CookieFor(B.Address), b);
        Assert.NotEqual(a, b);
    }

    [Fact]
    public void Send_UnprovenWithinBudget_WholeListAndCreditSpent()
    {
        _sender.OnRegistrationReceived(Register(), A, 600); // credit 1800, a list is about 640 bytes
        Assert.Equal(1, _sender.Send(_registry, [7], A));
        Assert.Equal(1, _sender.Send(_registry, [7], A));
        Assert.Equal(100, Assert.Single(Receive(_a).Vnis).Addresses.Count);
        Assert.Equal(100, Assert.Single(Receive(_a).Vnis).Addresses.Count);
        Assert.Equal(1, _sender.Send(_registry, [7], A)); // the third does not fit: its cookie instead
        Assert.Empty(Receive(_a).Vnis);
    }

    [Fact]
    public void Send_NoCreditAtAll_NothingSent()
    {
        Assert.Equal(0, _sender.Send(_registry, [7], A));
        Assert.Equal(0, _rr.Metrics.CookieLists);
        Assert.Equal(1, _rr.Metrics.Withheld);
    }

    [Fact]
    public void SendEncoded_Transitional_EveryReceiversCopySignedOverItsCookie()
    {
        var dir = Directory.CreateTempSubdirectory("sender-keys-");
        try
        {
            string keys = TestKeyFile.Write(dir.FullName);
            Hosting.Authentication.ControlAuthentication Authentication(bool allowUnsigned) => new(
                new Hosting.Authentication.ControlAuthenticationSettings(keys, TimeSpan.FromSeconds(30), 1024, TimeSpan.FromSeconds(10), "ServiceNode:Authentication:KeyFile", allowUnsigned),
                TimeProvider.System, NullLogger<Hosting.Authentication.ControlAuthentication>.Instance);
            var options = TestOptions.Reloadable<RegistryOptions>(RegistryOptions.SectionName);
            var sender = new PeerListSender(_socket, options, Authentication(allowUnsigned: true), _rr);
            var vtep = Authentication(allowUnsigned: false); // a keyed vxrd: only verified lists count
            sender.OnRegistrationReceived(Register(_rr.CookieFor(A.Address)), A, 57); // proven by its cookie
            sender.OnRegistrationReceived(Register(), B, 40);                          // unproven: its cookie only

            var datagrams = sender.Encode(_registry, [7]);
            Assert.Equal(1, sender.SendEncoded(datagrams, A));
            Assert.Equal(1, sender.SendEncoded(datagrams, B));

            foreach (var (socket, address, members) in new[] { (_a, A.Address, 100), (_b, B.Address, 0) })
            {
                var buffer = new byte[2048];
                int n = socket.Receive(buffer);
                Assert.Equal(Hosting.Authentication.ControlVerification.Ok, vtep.Verify(buffer.AsSpan(0, n), out bool signed));
                Assert.True(signed);
                Assert.True(ControlCodec.TryDecode(buffer.AsSpan(0, n), out var m, out _));
                var list = Assert.IsType<PeerListMessage>(m);
                Assert.Equal(_rr.CookieFor(address), list.Cookie);
                Assert.Equal(members, list.Vnis.Sum(v => v.Addresses.Count));
            }
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
