using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Replicator.Protocol.Control;
using Replicator.ServiceNode.Configuration;
using Replicator.ServiceNode.Control;
using Replicator.ServiceNode.Registry;
using Replicator.TestSupport.Configuration;
using ResponseWanted = Replicator.ServiceNode.Registry.ResponseWanted;

namespace Replicator.ServiceNode.Tests.Control;

public sealed class PeerListPusherTests : IDisposable
{
    private readonly FakeTimeProvider _time = new();
    private readonly ControlSocket _socket = new(NullLogger<ControlSocket>.Instance);
    private readonly Socket _subscriber = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private readonly ServiceNode.Registry.Registry _registry;
    private readonly PeerListPusher _pusher;
    private readonly Queue<Action<ServiceNode.Registry.Registry>> _posted = new();
    private readonly ServiceProvider _services;

    private sealed class InlineWriter(Queue<Action<ServiceNode.Registry.Registry>> posted) : IRegistryWriter
    {
        public Task<T> InvokeAsync<T>(Func<ServiceNode.Registry.Registry, T> work, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public bool Post(Action<ServiceNode.Registry.Registry> work)
        {
            posted.Enqueue(work);
            return true;
        }

        public bool TryLearn(uint vni, ReadOnlySpan<byte> address, bool ipv6) => false;
    }

    public PeerListPusherTests()
    {
        _subscriber.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _subscriber.ReceiveTimeout = 2000;
        _socket.Bind(IPAddress.Loopback, 0);
        _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var options = TestOptions.Reloadable<RegistryOptions>(RegistryOptions.SectionName);
        var metrics = new ControlMetrics(_services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>());
        _registry = new(new RegistryLimits(100, 100, TimeSpan.FromSeconds(90)), _time, new MemberTable());
        var writer = new InlineWriter(_posted);
        _pusher = new PeerListPusher(new PeerListSender(_socket, options), metrics, _time, () => writer);
    }

    public void Dispose()
    {
        _pusher.Dispose();
        _socket.Dispose();
        _subscriber.Dispose();
        _services.Dispose();
    }

    private void Join(string node, string address, ResponseWanted response = ResponseWanted.None) =>
        _registry.Apply(new Registration(node, TimeSpan.FromSeconds(90), false, response,
            [new VniRegistration(7, [VtepAddress.FromIPAddress(IPAddress.Parse(address))])],
            (IPEndPoint)_subscriber.LocalEndPoint!));

    private IReadOnlyList<IPAddress> Receive()
    {
        var buffer = new byte[2000];
        int n = _subscriber.Receive(buffer);
        Assert.True(ControlCodec.TryDecode(buffer.AsSpan(0, n), out var message, out _));
        return Assert.Single(((PeerListMessage)message).Vnis).Addresses;
    }

    private int Pending() => _subscriber.Available;

    [Fact]
    public void OnMembershipChanged_Burst_OnePushNowOneAfterWindow()
    {
        Join("a", "192.0.2.1", ResponseWanted.RegisteredVnis);
        _pusher.OnMembershipChanged(_registry, _registry.PublishChanges());
        Assert.Equal([IPAddress.Parse("192.0.2.1")], Receive());

        // Two more joins within the window: coalesced into one push at its end.
        Join("b", "192.0.2.2");
        _pusher.OnMembershipChanged(_registry, _registry.PublishChanges());
        _time.Advance(TimeSpan.FromMilliseconds(30));
        Join("c", "192.0.2.3");
        _pusher.OnMembershipChanged(_registry, _registry.PublishChanges());
        Thread.Sleep(50);
        Assert.Equal(0, Pending());

        _time.Advance(TimeSpan.FromMilliseconds(70));
        Assert.Single(_posted);
        _posted.Dequeue()(_registry);
        Assert.Equal(3, Receive().Count);
        Thread.Sleep(50);
        Assert.Equal(0, Pending());
    }
}
