using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Replicator.Hosting.Configuration;
using Replicator.Protocol.Control;
using Replicator.ServiceNode.Control;
using Replicator.ServiceNode.Hardening;
using Replicator.ServiceNode.Registry;
using Replicator.TestSupport.Configuration;
using ResponseWanted = Replicator.ServiceNode.Registry.ResponseWanted;

namespace Replicator.ServiceNode.Tests.Control;

/// <summary>
/// vxsnd's side of PROTOCOL.md 5.2 over real loopback sockets: pushes carry deltas to VTEPs that speak
/// them (full lists to the others), answers follow the held generation, pushes are paced and bounded,
/// and nothing sent to an unproven address exceeds issue 10's budget.
/// </summary>
public sealed class PeerListDeltaTests : IDisposable
{
    private readonly FakeTimeProvider _time = new();
    private readonly ControlSocket _socket = new(NullLogger<ControlSocket>.Instance);
    private readonly Socket _vtep = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private readonly Socket _old = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly ServiceNode.Registry.Registry _registry;
    private readonly ControlMetrics _metrics;
    private readonly PeerListHistory _history = new(new Random(5));
    private readonly DeltaReceivers _receivers;
    private readonly Queue<Action<ServiceNode.Registry.Registry>> _posted = new();

    public PeerListDeltaTests()
    {
        foreach (var s in new[] { _vtep, _old })
        {
            s.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            s.ReceiveTimeout = 2000;
        }
        _socket.Bind(IPAddress.Loopback, 0);
        _metrics = new ControlMetrics(_services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>());
        _registry = new(new RegistryLimits(100, 100, TimeSpan.FromSeconds(90)), _time, new MemberTable());
        _receivers = new DeltaReceivers(_time);
    }

    public void Dispose()
    {
        _socket.Dispose();
        _vtep.Dispose();
        _old.Dispose();
        _services.Dispose();
    }

    private sealed class Writer(Queue<Action<ServiceNode.Registry.Registry>> posted) : IRegistryWriter
    {
        public Task<T> InvokeAsync<T>(Func<ServiceNode.Registry.Registry, T> work, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public bool Post(Action<ServiceNode.Registry.Registry> work)
        {
            posted.Enqueue(work);
            return true;
        }

        public bool TryLearn(uint vni, ReadOnlySpan<byte> address, bool ipv6) => false;
    }

    private static IReloadableOptions<T> Options<T>(string section, params (string Key, string Value)[] values)
        where T : class, new() =>
        TestOptions.Reloadable<T>(section, values.Select(v => new KeyValuePair<string, string?>($"{section}:{v.Key}", v.Value)));

    private PeerListSender Sender(ReturnRoutability? rr = null) =>
        new(_socket, Options<RegistryOptions>(RegistryOptions.SectionName), null, rr, _history, _metrics);

    private PeerListPusher Pusher(PeerListSender sender) => new(sender, _metrics, _time, () => new Writer(_posted), _receivers);

    private PushPacer Pacer(PeerListSender sender, params (string, string)[] limits) =>
        new(Options<ControlLimitsOptions>(ControlLimitsOptions.SectionName, limits), sender, _metrics, _time, () => new Writer(_posted));

    private void Join(string node, string address, Socket replyTo, bool speaksDeltas)
    {
        var to = (IPEndPoint)replyTo.LocalEndPoint!;
        Assert.True(_registry.Apply(new Registration(node, TimeSpan.FromSeconds(90), false, ResponseWanted.RegisteredVnis,
            [new VniRegistration(7, [VtepAddress.FromIPAddress(IPAddress.Parse(address))])], to)).Succeeded);
        _receivers.Note(to, speaksDeltas, TimeSpan.FromSeconds(90));
    }

    private static PeerListMessage Receive(Socket socket)
    {
        var buffer = new byte[2000];
        int n = socket.Receive(buffer);
        Assert.True(ControlCodec.TryDecode(buffer.AsSpan(0, n), out var message, out _, out string? detail), detail);
        return Assert.IsType<PeerListMessage>(message);
    }

    [Fact]
    public void Push_DeltaSpeakerAndOldVtep_DeltaToOneFullListToTheOther()
    {
        var sender = Sender();
        using var pusher = Pusher(sender);
        Join("a", "192.0.2.1", _vtep, speaksDeltas: true);
        Join("b", "192.0.2.2", _old, speaksDeltas: false);
        pusher.OnMembershipChanged(_registry, _registry.PublishChanges());
        var first = Receive(_vtep);
        uint g1 = Assert.Single(first.Generations!).Generation;
        Assert.Equal(2, Assert.Single(first.Vnis).Addresses.Count);
        Receive(_old);

        _time.Advance(TimeSpan.FromSeconds(1));
        Join("c", "192.0.2.3", _old, speaksDeltas: false);
        pusher.OnMembershipChanged(_registry, _registry.PublishChanges());

        var delta = Receive(_vtep);
        Assert.Empty(delta.Vnis);
        var d = Assert.Single(delta.Deltas!);
        Assert.Equal((7u, g1, g1 + 1), (d.Vni, d.BaseGeneration, d.Generation));
        Assert.Equal([IPAddress.Parse("192.0.2.3")], d.Added);
        Assert.Empty(d.Removed);
        var full = Receive(_old);
        Assert.Null(full.Deltas);
        Assert.Equal(3, Assert.Single(full.Vnis).Addresses.Count);
    }

    [Fact]
    public void SendAnswer_HeldGenerations_NothingDeltaOrFullList()
    {
        var sender = Sender();
        var to = (IPEndPoint)_vtep.LocalEndPoint!;
        Join("a", "192.0.2.1", _vtep, speaksDeltas: true);
        _history.Record(7, [IPAddress.Parse("192.0.2.1")]);
        _history.TryGetCurrent(7, out uint g1, out _);
        Join("b", "192.0.2.2", _old, speaksDeltas: false);
        _history.Record(7, [IPAddress.Parse("192.0.2.1"), IPAddress.Parse("192.0.2.2")]);

        sender.SendAnswer(_registry, [7], [new VniGeneration(7, g1 + 1)], to, ControlSource.Node);
        var current = Receive(_vtep);
        Assert.Empty(current.Vnis);
        Assert.Null(current.Deltas);

        sender.SendAnswer(_registry, [7], [new VniGeneration(7, g1)], to, ControlSource.Node);
        Assert.Equal([IPAddress.Parse("192.0.2.2")], Assert.Single(Receive(_vtep).Deltas!).Added);

        sender.SendAnswer(_registry, [7], [new VniGeneration(7, 0)], to, ControlSource.Node);
        var full = Receive(_vtep);
        Assert.Equal(g1 + 1, Assert.Single(full.Generations!).Generation);
        Assert.Equal(2, Assert.Single(full.Vnis).Addresses.Count);
    }

    [Fact]
    public void SendAnswer_UnprovenAddress_NeverMoreThanThreeTimesWhatItSent()
    {
        var rrMetrics = new ReturnRoutabilityMetrics(_services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>());
        var rr = new ReturnRoutability(1024, enabled: true, rrMetrics, _time, new ReturnCookies());
        var sender = Sender(rr);
        var to = (IPEndPoint)_vtep.LocalEndPoint!;
        var members = Enumerable.Range(1, 200).Select(i => IPAddress.Parse($"198.51.100.{i}")).ToArray();
        _history.Record(7, [.. members]);
        // A 40-byte forged registration asking with generation 0 (the full list of 200 members).
        var register = new RegisterMessage("x", 90, false, WireResponseWanted.RegisteredVnis, [new VniAddresses(7, [members[0]])]) { Generations = [new VniGeneration(7, 0)] };
        int registerBytes = ControlCodec.Encode(register).Length;
        sender.OnRegistrationReceived(register, to, registerBytes);

        sender.SendAnswer(_registry, [7], [new VniGeneration(7, 0)], to, ControlSource.Node);

        long received = 0;
        _vtep.ReceiveTimeout = 300;
        var buffer = new byte[2000];
        try
        {
            while (true) received += _vtep.Receive(buffer);
        }
        catch (SocketException)
        {
        }
        Assert.InRange(received, 1, ReturnRoutability.CreditFactor * registerBytes);
    }

    [Fact]
    public void PushPacer_OverThePerDestinationRate_QueuesInOrderAndSendsWhenTokensReturn()
    {
        var sender = Sender();
        using var pacer = Pacer(sender, ("PushRatePerDestination", "10"), ("PushBurstSeconds", "1"));
        var to = (IPEndPoint)_vtep.LocalEndPoint!;
        for (uint i = 1; i <= 15; i++) pacer.Send(sender.EncodeMessage(new PeerListMessage(0, [])), to, ControlSource.Node, PeerListKind.Empty);

        var generations = new List<uint>();
        for (int i = 0; i < 10; i++) generations.Add(Receive(_vtep).Generation);
        Assert.Equal(5, pacer.Queued);
        Assert.Equal(0, _vtep.Available);

        _time.Advance(TimeSpan.FromSeconds(0.5));
        pacer.Drain();
        for (int i = 0; i < 5; i++) generations.Add(Receive(_vtep).Generation);
        Assert.Equal(0, pacer.Queued);
        Assert.Equal(generations.Order(), generations); // the order each destination was given
    }

    [Fact]
    public void PushPacer_QueueFull_DropsTheNewestAndKeepsOthersGoing()
    {
        var sender = Sender();
        using var pacer = Pacer(sender, ("PushRatePerDestination", "1"), ("PushBurstSeconds", "1"), ("PushQueueCapacity", "2"));
        var slow = (IPEndPoint)_vtep.LocalEndPoint!;
        for (int i = 0; i < 5; i++) pacer.Send(sender.EncodeMessage(new PeerListMessage(0, [])), slow, ControlSource.Node, PeerListKind.Empty);
        Assert.Equal(2, pacer.Queued); // 1 sent at once, 2 wait, 2 dropped

        // Another destination is not held up by the first one's queue.
        pacer.Send(sender.EncodeMessage(new PeerListMessage(0, [])), (IPEndPoint)_old.LocalEndPoint!, ControlSource.Node, PeerListKind.Empty);
        Receive(_old);
    }
    private void RunPosted()
    {
        while (_posted.TryDequeue(out var work)) work(_registry);
    }

    [Fact]
    public void Push_LastDeltaLost_CurrentGenerationRepairsItAfterTheSettleTime()
    {
        var sender = Sender();
        using var pusher = Pusher(sender);
        Join("a", "192.0.2.1", _vtep, speaksDeltas: true);
        pusher.OnMembershipChanged(_registry, _registry.PublishChanges());
        uint held = Assert.Single(Receive(_vtep).Generations!).Generation;

        _time.Advance(TimeSpan.FromSeconds(1));
        RunPosted();
        Receive(_vtep); // the first list's generation stated once: the VTEP holds it already
        Join("b", "192.0.2.2", _old, speaksDeltas: false);
        pusher.OnMembershipChanged(_registry, _registry.PublishChanges());
        var lost = Assert.Single(Receive(_vtep).Deltas!); // the last delta of the burst: "lost" (never applied)
        Assert.Equal(held, lost.BaseGeneration);

        // No refresh, no later change: the quiet VNI states its generation, repeating the small last step.
        _time.Advance(PeerListPusher.SettleTime);
        RunPosted();
        var repair = Receive(_vtep);
        Assert.Empty(repair.Vnis);
        var d = Assert.Single(repair.Deltas!);
        Assert.Equal((7u, held, lost.Generation), (d.Vni, d.BaseGeneration, d.Generation));
        Assert.Equal([IPAddress.Parse("192.0.2.2")], d.Added);
    }

    [Fact]
    public void Push_QuietVni_StatesTheGenerationTwiceAndOnlyToDeltaSpeakers()
    {
        var sender = Sender();
        using var pusher = Pusher(sender);
        Join("a", "192.0.2.1", _vtep, speaksDeltas: true);
        Join("b", "192.0.2.2", _old, speaksDeltas: false);
        pusher.OnMembershipChanged(_registry, _registry.PublishChanges());
        uint generation = Assert.Single(Receive(_vtep).Generations!).Generation;
        Receive(_old);

        for (int i = 0; i < 10; i++)
        {
            _time.Advance(PeerListPusher.SettleTime);
            RunPosted();
        }

        // Once after the settle time, once more RestateDelay later, then never again while the VNI is quiet.
        Assert.Equal(generation, Assert.Single(Receive(_vtep).Deltas!).Generation);
        Assert.Equal(generation, Assert.Single(Receive(_vtep).Deltas!).Generation);
        Assert.Equal(0, _vtep.Available);
        Assert.Equal(0, _old.Available); // a VTEP without generations has nothing to compare
    }

    [Fact]
    public void Push_LastDeltaAndItsStatementLost_StatedOnceMoreAfterTheRestateDelay()
    {
        var sender = Sender();
        using var pusher = Pusher(sender);
        Join("a", "192.0.2.1", _vtep, speaksDeltas: true);
        pusher.OnMembershipChanged(_registry, _registry.PublishChanges());
        uint held = Assert.Single(Receive(_vtep).Generations!).Generation;
        _time.Advance(TimeSpan.FromSeconds(3));
        RunPosted();
        while (_vtep.Available > 0) Receive(_vtep); // the first list's statements: the VTEP holds it already
        Join("b", "192.0.2.2", _old, speaksDeltas: false);
        pusher.OnMembershipChanged(_registry, _registry.PublishChanges());
        var lost = Assert.Single(Receive(_vtep).Deltas!); // the burst's last delta: lost

        _time.Advance(PeerListPusher.SettleTime);
        RunPosted();
        Assert.Single(Receive(_vtep).Deltas!); // its statement: lost as well
        _time.Advance(PeerListPusher.RestateDelay - TimeSpan.FromMilliseconds(1));
        RunPosted();
        Assert.Equal(0, _vtep.Available);

        _time.Advance(TimeSpan.FromMilliseconds(1));
        RunPosted();
        var d = Assert.Single(Receive(_vtep).Deltas!);
        Assert.Equal((7u, held, lost.Generation), (d.Vni, d.BaseGeneration, d.Generation));
    }

    [Fact]
    public void Push_NewBurstBeforeTheRestate_OnlyTheNewBurstIsStated()
    {
        var sender = Sender();
        using var pusher = Pusher(sender);
        Join("a", "192.0.2.1", _vtep, speaksDeltas: true);
        pusher.OnMembershipChanged(_registry, _registry.PublishChanges());
        Receive(_vtep);
        _time.Advance(PeerListPusher.SettleTime);
        RunPosted();
        Receive(_vtep); // the first statement

        _time.Advance(TimeSpan.FromMilliseconds(500));
        Join("b", "192.0.2.2", _old, speaksDeltas: false);
        pusher.OnMembershipChanged(_registry, _registry.PublishChanges());
        uint newest = Assert.Single(Receive(_vtep).Deltas!).Generation;
        for (int i = 0; i < 10; i++)
        {
            _time.Advance(PeerListPusher.SettleTime);
            RunPosted();
        }

        // The new burst's statement and its restatement; the superseded restatement of the first is not sent.
        Assert.Equal(newest, Assert.Single(Receive(_vtep).Deltas!).Generation);
        Assert.Equal(newest, Assert.Single(Receive(_vtep).Deltas!).Generation);
        Assert.Equal(0, _vtep.Available);
    }

    [Fact]
    public void CurrentGenerationDelta_LargeLastStep_EmptyStepFromTheGenerationToItself()
    {
        _history.Record(7, [.. Enumerable.Range(1, PeerListPusher.MaxRepeatedAddresses + 1).Select(i => IPAddress.Parse($"198.51.100.{i}"))]);
        _history.TryGetCurrent(7, out uint generation, out _);

        var d = PeerListPusher.CurrentGenerationDelta(_history, 7, generation);

        Assert.Equal((7u, generation, generation), (d.Vni, d.BaseGeneration, d.Generation));
        Assert.Empty(d.Added);
        Assert.Empty(d.Removed);
    }

    [Fact]
    public void SendAnswer_SplitFullListWithAPartLost_GenerationStatedToThatVtepAfterTheSettleTime()
    {
        var sender = Sender();
        using var pusher = Pusher(sender);
        var to = (IPEndPoint)_vtep.LocalEndPoint!;
        Join("a", "192.0.2.1", _vtep, speaksDeltas: true);
        _history.Record(7, [.. Enumerable.Range(1, 150).Select(i => IPAddress.Parse($"2001:db8::{i:x}"))]);
        _history.TryGetCurrent(7, out uint generation, out _);

        int parts = sender.SendAnswer(_registry, [7], [new VniGeneration(7, 0)], to, ControlSource.Node);
        Assert.True(parts > 1);
        for (int i = 0; i < parts; i++) Receive(_vtep); // one of them lost: the VTEP still holds no generation

        _time.Advance(PeerListPusher.SettleTime);
        RunPosted();
        var stated = Assert.Single(Receive(_vtep).Deltas!);
        Assert.Equal((7u, generation), (stated.Vni, stated.Generation));
    }

    [Fact]
    public void SendAnswer_PartAndStatementLost_StatedToThatVtepOnceMore()
    {
        var sender = Sender();
        using var pusher = Pusher(sender);
        var to = (IPEndPoint)_vtep.LocalEndPoint!;
        Join("a", "192.0.2.1", _vtep, speaksDeltas: true);
        _history.Record(7, [.. Enumerable.Range(1, 150).Select(i => IPAddress.Parse($"2001:db8::{i:x}"))]);
        _history.TryGetCurrent(7, out uint generation, out _);

        int parts = sender.SendAnswer(_registry, [7], [new VniGeneration(7, 0)], to, ControlSource.Node);
        for (int i = 0; i < parts; i++) Receive(_vtep); // a part lost
        _time.Advance(PeerListPusher.SettleTime);
        RunPosted();
        Receive(_vtep); // the statement lost too

        _time.Advance(PeerListPusher.RestateDelay);
        RunPosted();
        var stated = Assert.Single(Receive(_vtep).Deltas!);
        Assert.Equal((7u, generation), (stated.Vni, stated.Generation));
        Assert.Equal(0, _vtep.Available);
    }

    [Fact]
    public void Push_ManyVnisChangedAtOnce_OneMessageOfStepsPerMember()
    {
        var sender = Sender();
        using var pusher = Pusher(sender);
        uint[] vnis = [.. Enumerable.Range(1, 20).Select(v => (uint)v)];
        JoinVnis("a", "192.0.2.1", _vtep, vnis);
        pusher.OnMembershipChanged(_registry, _registry.PublishChanges());
        while (_vtep.Available > 0 || _vtep.Poll(200_000, SelectMode.SelectRead)) Receive(_vtep); // the first lists, one per VNI

        _time.Advance(TimeSpan.FromSeconds(1));
        RunPosted();
        while (_vtep.Poll(200_000, SelectMode.SelectRead)) Receive(_vtep); // statements
        JoinVnis("b", "192.0.2.2", _old, vnis); // one registration changes all 20 VNIs
        pusher.OnMembershipChanged(_registry, _registry.PublishChanges());

        var message = Receive(_vtep);
        Assert.Equal(vnis, message.Deltas!.Select(d => d.Vni));
        Assert.All(message.Deltas!, d => Assert.Equal([IPAddress.Parse("192.0.2.2")], d.Added));
        Assert.False(_vtep.Poll(200_000, SelectMode.SelectRead)); // one datagram, not 20
    }

    private void JoinVnis(string node, string address, Socket replyTo, uint[] vnis)
    {
        var to = (IPEndPoint)replyTo.LocalEndPoint!;
        var vtep = VtepAddress.FromIPAddress(IPAddress.Parse(address));
        Assert.True(_registry.Apply(new Registration(node, TimeSpan.FromSeconds(90), false, ResponseWanted.RegisteredVnis,
            [.. vnis.Select(v => new VniRegistration(v, [vtep]))], to)).Succeeded);
        _receivers.Note(to, speaksDeltas: true, TimeSpan.FromSeconds(90));
    }
}
