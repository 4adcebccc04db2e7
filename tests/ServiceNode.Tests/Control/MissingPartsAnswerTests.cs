using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Replicator.Protocol.Control;
using Replicator.ServiceNode.Control;
using Replicator.ServiceNode.Registry;
using Replicator.TestSupport.Configuration;

namespace Replicator.ServiceNode.Tests.Control;

/// <summary>
/// Register key 7 (PROTOCOL.md 5.2, "missing parts only") over real loopback sockets: a VTEP naming a kept
/// full list gets exactly the parts it lacks, byte for byte, then the deltas since the list's generation;
/// anything else it names is answered as if it had named nothing, and counted.
/// </summary>
public sealed class MissingPartsAnswerTests : IDisposable
{
    private readonly FakeTimeProvider _time = new();
    private readonly ControlSocket _socket = new(NullLogger<ControlSocket>.Instance);
    private readonly Socket _vtep = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly ServiceNode.Registry.Registry _registry;
    private readonly PeerListHistory _history = new(new Random(19));
    private readonly AnswerBatch _batch;
    private readonly MeterListener _listener = new();
    private readonly Dictionary<string, long> _counted = [];

    public MissingPartsAnswerTests()
    {
        _vtep.Bind(new IPEndPoint(IPAddress.Parse("127.0.0.2"), 0));
        _socket.Bind(IPAddress.Loopback, 0);
        var factory = _services.GetRequiredService<IMeterFactory>();
        var metrics = new ControlMetrics(factory);
        _registry = new(new RegistryLimits(100, 100, TimeSpan.FromSeconds(90)), _time, new MemberTable());
        var sender = new PeerListSender(_socket,
            TestOptions.Reloadable<RegistryOptions>(RegistryOptions.SectionName),
            null, null, _history, metrics);
        _batch = new AnswerBatch(sender, _time);
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Scope == factory && instrument.Name is "vxsnd.peerlists.incomplete" or "vxsnd.peerlists.sent") listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            string key = instrument.Name + "{" + string.Join(",", tags.ToArray().Select(t => $"{t.Key}={t.Value}")) + "}";
            lock (_counted) _counted[key] = _counted.GetValueOrDefault(key) + value;
        });
        _listener.Start();
    }

    public void Dispose()
    {
        _listener.Dispose();
        _socket.Dispose();
        _vtep.Dispose();
        _services.Dispose();
    }

    private IPEndPoint To => (IPEndPoint)_vtep.LocalEndPoint!;

    private long Counted(string key)
    {
        lock (_counted) return _counted.GetValueOrDefault(key);
    }

    private static IPAddress[] Members(int count) => [.. Enumerable.Range(1, count).Select(i => IPAddress.Parse($"2001:db8::{i:x}"))];

    private List<byte[]> Answer(uint held, IncompleteList? incomplete, uint vni = 7)
    {
        _batch.Add(_registry, [vni], [new VniGeneration(vni, held)], To, ControlSource.Node, incomplete);
        _batch.OnBatchEnding(_registry);
        var datagrams = new List<byte[]>();
        var buffer = new byte[2000];
        while (_vtep.Poll(TimeSpan.FromMilliseconds(300), SelectMode.SelectRead))
        {
            int n = _vtep.Receive(buffer);
            datagrams.Add(buffer[..n]);
        }
        return datagrams;
    }

    private static PeerListMessage Decode(byte[] datagram)
    {
        Assert.True(ControlCodec.TryDecode(datagram, out var message, out _, out string? detail), detail);
        return Assert.IsType<PeerListMessage>(message);
    }

    // The first answer: the whole list at the current generation, in several parts.
    private (List<byte[]> Parts, uint Message, uint Generation) FirstAnswer(int members)
    {
        _history.Record(7, [.. Members(members)]);
        _history.TryGetCurrent(7, out uint generation, out _);
        var parts = Answer(0, null);
        Assert.True(parts.Count >= 4);
        return (parts, Decode(parts[0]).Generation, generation);
    }

    [Fact]
    public void SendAnswer_KeptListAtAnUnchangedGeneration_ExactlyTheMissingPartsByteForByte()
    {
        var (parts, message, _) = FirstAnswer(300);

        var again = Answer(0, IncompleteList.Of(message, (ushort)parts.Count, i => i is not (1 or 3)));

        Assert.Equal([parts[1], parts[3]], again);
        Assert.Equal(1, Counted("vxsnd.peerlists.incomplete{result=served}"));
        Assert.Equal(2, Counted("vxsnd.peerlists.sent{kind=parts}"));
    }

    [Fact]
    public void SendAnswer_GenerationMovedOnSinceTheKeptList_MissingPartThenTheDeltasToTheCurrentGeneration()
    {
        var (parts, message, listGeneration) = FirstAnswer(300);
        var grown = Members(303);
        _history.Record(7, [.. grown[..301]]);
        _history.Record(7, [.. grown]);
        _history.TryGetCurrent(7, out uint current, out _);

        var again = Answer(0, IncompleteList.Of(message, (ushort)parts.Count, i => i != 2));

        Assert.Equal(2, again.Count);
        Assert.Equal(parts[2], again[0]); // the part first: the VTEP completes the list, then applies the deltas
        var delta = Decode(again[1]);
        Assert.Empty(delta.Vnis);
        Assert.Equal([(listGeneration, listGeneration + 1), (listGeneration + 1, current)], delta.Deltas!.Select(d => (d.BaseGeneration, d.Generation)));
        // What the VTEP ends with: the list's members plus the deltas' additions, the current set.
        var members = parts.SelectMany(p => Decode(p).Vnis).SelectMany(v => v.Addresses).ToHashSet();
        foreach (var d in delta.Deltas!)
        {
            members.UnionWith(d.Added);
            members.ExceptWith(d.Removed);
        }
        Assert.Equal(grown.ToHashSet(), members);
        Assert.Equal(1, Counted("vxsnd.peerlists.incomplete{result=served}"));
    }

    [Fact]
    public void SendAnswer_UnknownMessage_AnsweredAsUsualAndCounted()
    {
        var (parts, message, generation) = FirstAnswer(300);

        var again = Answer(0, IncompleteList.Of(message + 1000, (ushort)parts.Count, i => i != 2));

        Assert.Equal(parts.Count, again.Count); // the whole list, as if nothing had been named
        Assert.All(again, d => Assert.Equal(generation, Assert.Single(Decode(d).Generations!).Generation));
        Assert.Equal(1, Counted("vxsnd.peerlists.incomplete{result=unknown}"));
    }

    [Fact]
    public void SendAnswer_MessageOfAnotherInstance_UnknownThoughTheGenerationMatches()
    {
        // A restarted node numbers its messages from the start again (PROTOCOL.md 5.3): the same generation
        // of another run names another message.
        var (parts, message, _) = FirstAnswer(300);
        uint other = Decode(parts[0]).Instance!.Value ^ 1;

        var again = Answer(0, IncompleteList.Of(message, (ushort)parts.Count, i => i != 2) with { Instance = other });

        Assert.Equal(parts.Count, again.Count);
        Assert.Equal(1, Counted("vxsnd.peerlists.incomplete{result=unknown}"));
        Assert.Equal(0, Counted("vxsnd.peerlists.incomplete{result=served}"));
    }

    [Fact]
    public void SendAnswer_MessageOfThisInstance_Served()
    {
        var (parts, message, _) = FirstAnswer(300);
        uint ours = Decode(parts[0]).Instance!.Value;

        var again = Answer(0, IncompleteList.Of(message, (ushort)parts.Count, i => i != 2) with { Instance = ours });

        Assert.Equal([parts[2]], again);
        Assert.Equal(1, Counted("vxsnd.peerlists.incomplete{result=served}"));
    }

    [Theory]
    [InlineData(1)] // a part count other than the message's
    [InlineData(0)] // no part missing
    public void SendAnswer_BadPartSet_AnsweredAsUsualAndCounted(int extraParts)
    {
        var (parts, message, _) = FirstAnswer(300);

        var again = Answer(0, IncompleteList.Of(message, (ushort)(parts.Count + extraParts), i => extraParts == 0 || i != 0));

        Assert.Equal(parts.Count, again.Count);
        Assert.Equal(1, Counted("vxsnd.peerlists.incomplete{result=invalid}"));
    }

    [Fact]
    public void SendAnswer_ListNamesAVniOutsideTheRegistration_AnsweredAsUsual()
    {
        var (parts, message, _) = FirstAnswer(300);
        _history.Record(8, [.. Members(2)]);

        var again = Answer(0, IncompleteList.Of(message, (ushort)parts.Count, i => i != 0), vni: 8);

        Assert.Equal(8u, Assert.Single(Decode(Assert.Single(again)).Vnis).Vni);
        Assert.Equal(1, Counted("vxsnd.peerlists.incomplete{result=invalid}"));
    }

    [Fact]
    public void SendAnswer_KeptListRetiredLongerThanTheStaleLifetime_Unknown()
    {
        var (parts, message, _) = FirstAnswer(300);
        _history.Record(7, [.. Members(301)]);
        Answer(0, null); // a batch at the new generation retires the kept list

        _time.Advance(AnswerEncodings.StaleLifetime);
        var again = Answer(0, IncompleteList.Of(message, (ushort)parts.Count, i => i != 2));

        Assert.True(again.Count >= parts.Count);
        Assert.Equal(1, Counted("vxsnd.peerlists.incomplete{result=unknown}"));
    }

    [Fact]
    public void SendAnswer_VtepHoldsAGenerationTheHistoryReaches_OrdinaryDeltasAreSmaller()
    {
        var (parts, message, listGeneration) = FirstAnswer(300);
        _history.Record(7, [.. Members(301)]);

        var again = Answer(listGeneration, IncompleteList.Of(message, (ushort)parts.Count, i => i != 2));

        var delta = Decode(Assert.Single(again));
        Assert.Equal(listGeneration, Assert.Single(delta.Deltas!).BaseGeneration);
        Assert.Equal(1, Counted("vxsnd.peerlists.incomplete{result=larger}"));
    }

    [Fact]
    public void SendAnswer_MostPartsMissingAndTheListChangedALot_OrdinaryFullListIsSmaller()
    {
        var (parts, message, _) = FirstAnswer(300);
        _history.Record(7, [.. Members(300).Select((a, i) => IPAddress.Parse($"2001:db8:1::{i + 1:x}"))]); // everybody replaced

        var again = Answer(0, IncompleteList.Of(message, (ushort)parts.Count, i => i == 0));

        Assert.All(again, d => Assert.NotNull(Decode(d).Generations)); // full lists, not parts and deltas
        Assert.Equal(1, Counted("vxsnd.peerlists.incomplete{result=larger}"));
    }
}
