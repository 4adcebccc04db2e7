using System.Collections.Immutable;
using System.Net;
using Replicator.Protocol.Control;
using Replicator.ServiceNode.Registry;

namespace Replicator.ServiceNode.Tests.Registry;

public sealed class PeerListHistoryTests
{
    private static IPAddress A(int i) => new([203, 0, 113, (byte)i]);

    private static ImmutableArray<IPAddress> Set(params int[] members) => [.. members.Select(A)];

    [Fact]
    public void Record_ChangedSets_OneGenerationEachFromARandomStart()
    {
        var history = new PeerListHistory(new Random(1));
        history.Record(7, Set(1, 2));
        Assert.True(history.TryGetCurrent(7, out uint first, out var members));
        Assert.NotEqual(0u, first);
        Assert.Equal(Set(1, 2).AsEnumerable(), members.AsEnumerable());

        history.Record(7, Set(1, 2)); // unchanged: no new generation
        history.Record(7, Set(2, 3));

        Assert.True(history.TryGetCurrent(7, out uint now, out _));
        Assert.Equal(first + 1, now);
        var deltas = new List<PeerListDelta>();
        Assert.True(history.TryAppendDeltas(7, first, deltas));
        var d = Assert.Single(deltas);
        Assert.Equal((7u, first, now), (d.Vni, d.BaseGeneration, d.Generation));
        Assert.Equal([A(3)], d.Added);
        Assert.Equal([A(1)], d.Removed);
    }

    [Fact]
    public void TryAppendDeltas_CurrentRecentOrUnknownBase_NothingChainOrFullList()
    {
        var history = new PeerListHistory(new Random(2));
        history.Record(7, Set(1));
        history.TryGetCurrent(7, out uint g1, out _);
        history.Record(7, Set(1, 2));
        history.Record(7, Set(1, 2, 3));
        history.TryGetCurrent(7, out uint g3, out _);

        var deltas = new List<PeerListDelta>();
        Assert.True(history.TryAppendDeltas(7, g3, deltas));
        Assert.Empty(deltas);
        Assert.True(history.TryAppendDeltas(7, g1, deltas));
        Assert.Equal([(g1, g1 + 1), (g1 + 1, g3)], deltas.Select(d => (d.BaseGeneration, d.Generation)));
        Assert.False(history.TryAppendDeltas(7, g1 - 2, []));
        Assert.False(history.TryAppendDeltas(7, 0, []));
        Assert.False(history.TryAppendDeltas(8, g1, []));
    }

    [Fact]
    public void Record_LongHistory_KeepsAtMostMaxStepsSoOldBasesGetTheFullList()
    {
        // Enough members that the address bound (as many addresses as members) is not what trims the steps.
        var history = new PeerListHistory(new Random(3));
        ImmutableArray<IPAddress> crowd = [.. Enumerable.Range(1, 8 * PeerListHistory.MaxStepsPerVni).Select(i => IPAddress.Parse($"2001:db8::{i:x}"))];
        ImmutableArray<IPAddress> crowdAndOne = crowd.Add(IPAddress.Parse("2001:db8::ffff"));
        history.Record(7, crowd);
        history.TryGetCurrent(7, out uint first, out _);
        for (int i = 0; i < PeerListHistory.MaxStepsPerVni + 10; i++) history.Record(7, i % 2 == 0 ? crowdAndOne : crowd);

        history.TryGetCurrent(7, out uint now, out _);
        Assert.False(history.TryAppendDeltas(7, first, []));
        var deltas = new List<PeerListDelta>();
        Assert.True(history.TryAppendDeltas(7, now - PeerListHistory.MaxStepsPerVni, deltas));
        Assert.Equal(PeerListHistory.MaxStepsPerVni, deltas.Count);
    }

    [Fact]
    public void Record_ManyOneAddressSteps_DeltasFromTheOldestKeptCostLessThanTwiceTheFullList()
    {
        // 100 members, one joining and leaving again and again: tiny steps, whose framing is most of their bytes.
        var history = new PeerListHistory(new Random(5));
        var members = Set([.. Enumerable.Range(1, 100)]);
        var plusOne = members.Add(IPAddress.Parse("198.51.100.1"));
        for (int i = 0; i < 500; i++) history.Record(7, i % 2 == 0 ? members : plusOne);
        history.TryGetCurrent(7, out uint now, out _);
        uint oldest = now;
        var probe = new List<PeerListDelta>();
        while (true)
        {
            probe.Clear();
            if (!history.TryAppendDeltas(7, oldest - 1, probe)) break;
            oldest--;
        }
        Assert.True(now - oldest > 10, $"only {now - oldest} steps kept");
        var deltas = new List<PeerListDelta>();
        Assert.True(history.TryAppendDeltas(7, oldest, deltas));
        int deltaBytes = ControlCodec.Encode(new PeerListMessage(90, []) { Deltas = deltas }).Length;
        int fullBytes = ControlCodec.Encode(new PeerListMessage(90, [new VniAddresses(7, [.. members])])).Length;
        Assert.InRange(deltaBytes, 1, 2 * fullBytes);
    }

    [Fact]
    public void Record_EmptySet_ForgetsTheVni()
    {
        var history = new PeerListHistory();
        history.Record(7, Set(1));
        history.Record(7, []);
        Assert.False(history.TryGetCurrent(7, out _, out _));
        Assert.Equal(0, history.VniCount);
    }

    [Fact]
    public void Record_HundredThousandEntriesChurning_MemoryStaysBounded()
    {
        // 1,000 VNIs x 100 members, every member of every VNI replaced one by one, twice.
        var history = new PeerListHistory(new Random(4));
        for (uint vni = 0; vni < 1000; vni++) history.Record(vni, [.. Enumerable.Range(0, 100).Select(i => new IPAddress(BitConverter.GetBytes(vni * 1000 + (uint)i)))]);
        for (int round = 0; round < 200; round++)
        {
            for (uint vni = 0; vni < 1000; vni++)
            {
                history.Record(vni, [.. Enumerable.Range(round + 1, 100).Select(i => new IPAddress(BitConverter.GetBytes(vni * 1000 + (uint)i)))]);
            }
        }
        // Each VNI keeps at most about as many addresses in its steps as it has members (100 entries -> 100 addresses).
        Assert.InRange(history.StepAddresses, 1, 1000 * 101);
        Assert.Equal(1000, history.VniCount);
    }
}
