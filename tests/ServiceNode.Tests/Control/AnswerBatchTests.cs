using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Replicator.Protocol.Control;
using Replicator.ServiceNode.Control;
using Replicator.ServiceNode.Hardening;
using Replicator.ServiceNode.Registry;
using Replicator.TestSupport.Configuration;

namespace Replicator.ServiceNode.Tests.Control;

/// <summary>
/// Answers held until the registry batch ends, over real loopback sockets: VTEPs answered with the same
/// lists share one encoding, and each still gets exactly its own answer and its own cookie.
/// </summary>
public sealed class AnswerBatchTests : IDisposable
{
    private readonly FakeTimeProvider _time = new();
    private readonly ControlSocket _socket = new(NullLogger<ControlSocket>.Instance);
    private readonly Socket[] _vteps = new Socket[3];
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly ServiceNode.Registry.Registry _registry;
    private readonly ControlMetrics _metrics;
    private readonly PeerListHistory _history = new(new Random(19));

    public AnswerBatchTests()
    {
        for (int i = 0; i < _vteps.Length; i++)
        {
            // Own loopback addresses: return routability keys its cookies by address.
            _vteps[i] = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            _vteps[i].Bind(new IPEndPoint(IPAddress.Parse($"127.0.0.{i + 2}"), 0));
            _vteps[i].ReceiveTimeout = 2000;
        }
        _socket.Bind(IPAddress.Loopback, 0);
        _metrics = new ControlMetrics(_services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>());
        _registry = new(new RegistryLimits(100, 100, TimeSpan.FromSeconds(90)), _time, new MemberTable());
    }

    public void Dispose()
    {
        _socket.Dispose();
        foreach (var vtep in _vteps) vtep.Dispose();
        _services.Dispose();
    }

    private PeerListSender Sender(ReturnRoutability? rr = null) =>
        new(_socket, TestOptions.Reloadable<RegistryOptions>(RegistryOptions.SectionName),
            null, rr, _history, _metrics);

    private IPEndPoint To(int vtep) => (IPEndPoint)_vteps[vtep].LocalEndPoint!;

    private static IPAddress[] Members(int count) => [.. Enumerable.Range(1, count).Select(i => IPAddress.Parse($"198.51.{100 + i / 250}.{1 + i % 250}"))];

    private static List<byte[]> ReceiveRaw(Socket socket)
    {
        var datagrams = new List<byte[]>();
        var buffer = new byte[2000];
        while (socket.Poll(TimeSpan.FromMilliseconds(300), SelectMode.SelectRead))
        {
            int n = socket.Receive(buffer);
            datagrams.Add(buffer[..n]);
        }
        return datagrams;
    }

    private static List<PeerListMessage> ReceiveAll(Socket socket)
    {
        var messages = new List<PeerListMessage>();
        var buffer = new byte[2000];
        while (socket.Poll(TimeSpan.FromMilliseconds(300), SelectMode.SelectRead))
        {
            int n = socket.Receive(buffer);
            Assert.True(ControlCodec.TryDecode(buffer.AsSpan(0, n), out var message, out _, out string? detail), detail);
            messages.Add(Assert.IsType<PeerListMessage>(message));
        }
        return messages;
    }

    [Fact]
    public void OnBatchEnding_SameFullListForSeveralVteps_EncodedOnceAndSentToEach()
    {
        var sender = Sender();
        var batch = new AnswerBatch(sender);
        var members = Members(300); // several parts
        _history.Record(7, [.. members]);
        _history.TryGetCurrent(7, out uint generation, out _);
        for (int i = 0; i < _vteps.Length; i++) batch.Add(_registry, [7], [new VniGeneration(7, 0)], To(i), ControlSource.Node);
        Assert.Equal(0, _vteps[0].Available); // nothing leaves before the batch ends

        batch.OnBatchEnding(_registry);

        var lists = _vteps.Select(ReceiveAll).ToArray();
        foreach (var parts in lists)
        {
            Assert.True(parts.Count > 1);
            Assert.All(parts, p => Assert.Equal(generation, Assert.Single(p.Generations!).Generation));
            Assert.Equal(members.Select(static m => m.ToString()).Order(), parts.SelectMany(p => p.Vnis).SelectMany(v => v.Addresses).Select(static a => a.ToString()).Order());
        }
        // One encoding: every VTEP's parts carry the one message generation it was made with.
        Assert.Single(lists.SelectMany(parts => parts).Select(p => p.Generation).Distinct());
        Assert.Equal(0, batch.Count);
    }

    [Fact]
    public void OnBatchEnding_DifferentHeldGenerations_EachVtepGetsItsOwnAnswer()
    {
        var sender = Sender();
        var batch = new AnswerBatch(sender);
        _history.Record(7, [.. Members(2)]);
        _history.TryGetCurrent(7, out uint g1, out _);
        _history.Record(7, [.. Members(3)]);
        batch.Add(_registry, [7], [new VniGeneration(7, g1 + 1)], To(0), ControlSource.Node); // current
        batch.Add(_registry, [7], [new VniGeneration(7, g1)], To(1), ControlSource.Node); // one step behind
        batch.Add(_registry, [7], [new VniGeneration(7, 0)], To(2), ControlSource.Node); // holds nothing
        batch.Add(_registry, [7], [new VniGeneration(7, g1)], To(1), ControlSource.Node); // asked twice: answered twice

        batch.OnBatchEnding(_registry);

        var empty = Assert.Single(ReceiveAll(_vteps[0]));
        Assert.Empty(empty.Vnis);
        Assert.Null(empty.Deltas);
        var deltas = ReceiveAll(_vteps[1]);
        Assert.Equal(2, deltas.Count);
        Assert.All(deltas, d => Assert.Equal((g1, g1 + 1), (Assert.Single(d.Deltas!).BaseGeneration, d.Deltas![0].Generation)));
        var full = Assert.Single(ReceiveAll(_vteps[2]));
        Assert.Equal(3, Assert.Single(full.Vnis).Addresses.Count);
        Assert.Equal(g1 + 1, Assert.Single(full.Generations!).Generation);
    }

    [Fact]
    public void OnBatchEnding_UnauthenticatedSharedList_EachVtepGetsItsOwnCookie()
    {
        var rrMetrics = new ReturnRoutabilityMetrics(_services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>());
        var rr = new ReturnRoutability(1024, enabled: true, rrMetrics, _time, new ReturnCookies());
        var sender = Sender(rr);
        var batch = new AnswerBatch(sender);
        _history.Record(7, [.. Members(100)]);
        for (int i = 0; i < _vteps.Length; i++)
        {
            // Each VTEP proves itself (echoes its cookie), so the whole list may go to it.
            var register = new RegisterMessage("v" + i, 90, false, WireResponseWanted.RegisteredVnis, [new VniAddresses(7, [To(i).Address])])
            { Cookie = rr.CookieFor(To(i).Address) };
            sender.OnRegistrationReceived(register, To(i), 100);
            batch.Add(_registry, [7], [new VniGeneration(7, 0)], To(i), ControlSource.Node);
        }

        batch.OnBatchEnding(_registry);

        var cookies = new List<UInt128>();
        for (int i = 0; i < _vteps.Length; i++)
        {
            var parts = ReceiveAll(_vteps[i]);
            Assert.Equal(100, parts.SelectMany(p => p.Vnis).Sum(v => v.Addresses.Count));
            Assert.All(parts, p => Assert.Equal(rr.CookieFor(To(i).Address), p.Cookie));
            cookies.Add(parts[0].Cookie!.Value);
        }
        Assert.Equal(_vteps.Length, cookies.Distinct().Count());
    }

    [Fact]
    public void OnBatchEnding_AskedAgainInALaterBatchAtAnUnchangedGeneration_ByteIdenticalParts()
    {
        var batch = new AnswerBatch(Sender());
        _history.Record(7, [.. Members(300)]); // several parts
        batch.Add(_registry, [7], [new VniGeneration(7, 0)], To(0), ControlSource.Node);
        batch.OnBatchEnding(_registry);
        var first = ReceiveRaw(_vteps[0]);

        // Another VTEP's answer in between takes a message generation of its own.
        batch.Add(_registry, [8], [], To(1), ControlSource.Node);
        batch.OnBatchEnding(_registry);
        batch.Add(_registry, [7], [new VniGeneration(7, 0)], To(0), ControlSource.Node); // a part was lost: asked again
        batch.OnBatchEnding(_registry);
        var second = ReceiveRaw(_vteps[0]);

        Assert.True(first.Count > 1);
        Assert.Equal(first.Count, second.Count);
        for (int i = 0; i < first.Count; i++) Assert.Equal(first[i], second[i]);
    }

    [Fact]
    public void OnBatchEnding_GenerationMovedOnBetweenBatches_NewListWithANewMessageGeneration()
    {
        var batch = new AnswerBatch(Sender());
        _history.Record(7, [.. Members(300)]);
        batch.Add(_registry, [7], [new VniGeneration(7, 0)], To(0), ControlSource.Node);
        batch.OnBatchEnding(_registry);
        var first = ReceiveAll(_vteps[0]);

        _history.Record(7, [.. Members(301)]);
        _history.TryGetCurrent(7, out uint generation, out _);
        batch.Add(_registry, [7], [new VniGeneration(7, 0)], To(0), ControlSource.Node);
        batch.OnBatchEnding(_registry);
        var second = ReceiveAll(_vteps[0]);

        Assert.NotEqual(first[0].Generation, second[0].Generation);
        Assert.All(second, p => Assert.Equal(generation, Assert.Single(p.Generations!).Generation));
        Assert.Equal(301, second.SelectMany(p => p.Vnis).Sum(v => v.Addresses.Count));
    }

    [Fact]
    public void OnBatchEnding_UnauthenticatedListKeptAcrossBatches_EachVtepGetsItsOwnCookieAndTheSameMessage()
    {
        var rrMetrics = new ReturnRoutabilityMetrics(_services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>());
        var rr = new ReturnRoutability(1024, enabled: true, rrMetrics, _time, new ReturnCookies());
        var sender = Sender(rr);
        var batch = new AnswerBatch(sender);
        _history.Record(7, [.. Members(100)]);
        var received = new List<PeerListMessage>[_vteps.Length];
        for (int i = 0; i < _vteps.Length; i++)
        {
            var register = new RegisterMessage("v" + i, 90, false, WireResponseWanted.RegisteredVnis, [new VniAddresses(7, [To(i).Address])])
            { Cookie = rr.CookieFor(To(i).Address) };
            sender.OnRegistrationReceived(register, To(i), 100);
            batch.Add(_registry, [7], [new VniGeneration(7, 0)], To(i), ControlSource.Node);
            batch.OnBatchEnding(_registry); // one batch each: the shared datagrams are rewritten for every receiver
            received[i] = ReceiveAll(_vteps[i]);
        }

        for (int i = 0; i < _vteps.Length; i++)
        {
            Assert.Equal(100, received[i].SelectMany(p => p.Vnis).Sum(v => v.Addresses.Count));
            Assert.All(received[i], p => Assert.Equal(rr.CookieFor(To(i).Address), p.Cookie));
        }
        Assert.Single(received.SelectMany(parts => parts).Select(p => p.Generation).Distinct());
    }

    [Fact]
    public void Add_MoreThanMaxHeld_SendsAtOnceInsteadOfGrowing()
    {
        var batch = new AnswerBatch(Sender());
        _history.Record(7, [.. Members(2)]);
        _history.TryGetCurrent(7, out uint generation, out _);
        for (int i = 0; i < AnswerBatch.MaxHeld; i++) batch.Add(_registry, [7], [new VniGeneration(7, generation)], To(0), ControlSource.Node);

        Assert.Equal(0, batch.Count);
        Assert.True(_vteps[0].Poll(TimeSpan.FromSeconds(2), SelectMode.SelectRead));
    }
}
