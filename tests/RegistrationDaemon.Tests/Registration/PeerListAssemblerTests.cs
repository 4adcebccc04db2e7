using System.Net;
using Microsoft.Extensions.Time.Testing;
using Replicator.Protocol.Control;
using Replicator.RegistrationDaemon.Registration;
using Replicator.RegistrationDaemon.Tests.Fakes;
using Replicator.TestSupport;

namespace Replicator.RegistrationDaemon.Tests.Registration;

public sealed class PeerListAssemblerTests
{
    private static readonly IPEndPoint Sn = new(IPAddress.Parse("203.0.113.1"), 10001);

    private static VniAddresses V(uint vni, params string[] a) => new(vni, [.. a.Select(IPAddress.Parse)]);

    [Fact]
    public void Add_SinglePart_CompleteAtOnce()
    {
        var update = new PeerListAssembler().Add(Sn, new PeerListMessage(90, [V(100, "192.0.2.1", "192.0.2.2"), V(200)]));
        Assert.NotNull(update);
        Assert.Equal(2, update.Members[100].Count);
        Assert.Empty(update.Members[200]);
        Assert.Equal(TimeSpan.FromSeconds(90), update.HoldTime);
    }

    [Fact]
    public void Add_SplitVniAcrossParts_MergedWhenAllPartsArrived()
    {
        var a = new PeerListAssembler();
        Assert.Null(a.Add(Sn, new PeerListMessage(90, [V(100, "192.0.2.1")], Generation: 7, PartIndex: 1, PartCount: 2)));
        var update = a.Add(Sn, new PeerListMessage(90, [V(50, "192.0.2.9"), V(100, "192.0.2.2")], Generation: 7, PartIndex: 0, PartCount: 2));
        Assert.NotNull(update);
        Assert.Equal(["192.0.2.2", "192.0.2.1"], update.Members[100].Select(x => x.ToString()));
        Assert.Single(update.Members[50]);
    }

    [Fact]
    public void Add_RealSplitFromCodec_RoundTrips()
    {
        var members = Enumerable.Range(1, 400).Select(i => IPAddress.Parse($"2001:db8::{i:x}")).ToList();
        var message = new PeerListMessage(90, [new VniAddresses(100, members)], Generation: 3);
        var datagrams = ControlCodec.EncodePeerList(message);
        Assert.True(datagrams.Count > 1);
        var a = new PeerListAssembler();
        PeerListUpdate? update = null;
        foreach (var d in datagrams.Reverse())
        {
            Assert.True(ControlCodec.TryDecode(d, out var decoded, out _));
            update = a.Add(Sn, (PeerListMessage)decoded);
        }
        Assert.NotNull(update);
        Assert.Equal(members.Order(Comparer<IPAddress>.Create(AddressOrder.Compare)), update.Members[100].Order(Comparer<IPAddress>.Create(AddressOrder.Compare)));
    }

    [Fact]
    public void Add_IncompleteGenerations_DroppedWhenNewerPileUp()
    {
        var a = new PeerListAssembler();
        for (uint g = 0; g < 10; g++) Assert.Null(a.Add(Sn, new PeerListMessage(90, [V(100, "192.0.2.1")], g, 0, 2)));
        Assert.Null(a.Add(Sn, new PeerListMessage(90, [V(100, "192.0.2.2")], 0, 1, 2)));
        Assert.NotNull(a.Add(Sn, new PeerListMessage(90, [V(100, "192.0.2.2")], 9, 1, 2)));
    }

    private static PeerListMessage Part(uint generation, ushort index, ushort count, params string[] a) =>
        new(90, [V(100, a)], generation, index, count);

    [Fact]
    public void Add_PartCountBeyondTheBound_RefusedWithoutKeepingAnything()
    {
        using var meters = new TestMeters();
        var a = new PeerListAssembler(new FakeTimeProvider(), new RegistrationMetrics(meters, new FakeTimeProvider()));
        for (uint g = 0; g < 1000; g++) Assert.Null(a.Add(Sn, Part(g, 0, 65535, "192.0.2.66")));
        Assert.Equal(0, a.PendingParts);
        Assert.Equal(1000, meters.Total("vxrd.control.dropped", "reason=too_many_parts"));
    }

    [Fact]
    public void Add_JunkListsInterleavedWithARealOne_RealListCompletes()
    {
        using var meters = new TestMeters();
        var a = new PeerListAssembler(new FakeTimeProvider(), new RegistrationMetrics(meters, new FakeTimeProvider()));
        PeerListUpdate? update = null;
        for (ushort part = 0; part < 4; part++)
        {
            // Junk from the same endpoint (spoofed): first parts of lists announcing thousands of parts.
            for (uint j = 0; j < 100; j++) Assert.Null(a.Add(Sn, Part(1000 + part * 100u + j, 0, 4096, "192.0.2.66")));
            update = a.Add(Sn, Part(7, part, 4, $"192.0.2.{20 + part}"));
        }
        Assert.NotNull(update);
        Assert.Equal(["192.0.2.20", "192.0.2.21", "192.0.2.22", "192.0.2.23"], update.Members[100].Select(x => x.ToString()));
        Assert.True(a.PendingLists <= PeerListAssembler.MaxPendingListsPerSender);
        Assert.True(meters.Total("vxrd.control.dropped", "reason=evicted") >= 390);
    }

    [Fact]
    public void Add_ManyIncompleteLists_PendingListsAndPartsBoundedPerSender()
    {
        var a = new PeerListAssembler(new FakeTimeProvider());
        for (uint g = 0; g < 10_000; g++) a.Add(Sn, Part(g, (ushort)(g % 7), 4096, "192.0.2.1"));
        Assert.True(a.PendingLists <= PeerListAssembler.MaxPendingListsPerSender, $"{a.PendingLists} lists");
        // One list keeps taking parts up to the parts bound, never beyond it.
        for (ushort i = 0; i < 4095; i++) a.Add(Sn, Part(20_000, i, 4096, "192.0.2.1"));
        Assert.True(a.PendingParts <= PeerListAssembler.MaxPendingPartsPerSender, $"{a.PendingParts} parts");
    }

    [Fact]
    public void Add_MoreAddressesThanTheBound_ListDroppedAsTooLarge()
    {
        using var meters = new TestMeters();
        var a = new PeerListAssembler(new FakeTimeProvider(), new RegistrationMetrics(meters, new FakeTimeProvider()));
        var many = Enumerable.Range(0, PeerListAssembler.MaxPendingAddressesPerSender / 2 + 1).Select(i => new IPAddress(0x0A000000u + (uint)i)).ToList();
        Assert.Null(a.Add(Sn, new PeerListMessage(90, [new VniAddresses(100, many)], 5, 0, 3)));
        Assert.Null(a.Add(Sn, new PeerListMessage(90, [new VniAddresses(100, many)], 5, 1, 3)));
        Assert.Equal(1, meters.Total("vxrd.control.dropped", "reason=too_large"));
        Assert.Equal(0, a.PendingLists);
    }

    [Fact]
    public void Add_PartsOfEmptyVnis_CountAgainstTheMemoryBound()
    {
        using var meters = new TestMeters();
        var a = new PeerListAssembler(new FakeTimeProvider(), new RegistrationMetrics(meters, new FakeTimeProvider()));
        // Thousands of VNIs without addresses cost objects too: they cannot slip under the bound.
        var vnis = Enumerable.Range(0, PeerListAssembler.MaxPendingAddressesPerSender / 2 + 1).Select(v => new VniAddresses((uint)v, [])).ToList();
        Assert.Null(a.Add(Sn, new PeerListMessage(90, vnis, 6, 0, 3)));
        Assert.Null(a.Add(Sn, new PeerListMessage(90, vnis, 6, 1, 3)));
        Assert.Equal(1, meters.Total("vxrd.control.dropped", "reason=too_large"));
        Assert.Equal(0, a.PendingLists);
    }

    [Fact]
    public void Add_IncompleteListOlderThanItsLifetime_Dropped()
    {
        var time = new FakeTimeProvider();
        using var meters = new TestMeters();
        var a = new PeerListAssembler(time, new RegistrationMetrics(meters, time));
        Assert.Null(a.Add(Sn, Part(3, 0, 2, "192.0.2.1")));
        time.Advance(PeerListAssembler.PendingLifetime);
        Assert.Null(a.Add(Sn, Part(3, 1, 2, "192.0.2.2")));
        Assert.Equal(1, meters.Total("vxrd.control.dropped", "reason=incomplete"));
        Assert.Equal(1, a.PendingParts);
    }

    [Fact]
    public void RepairQuiet_ListsQuietForTheLimit_FoundAndKeptStillArrivingNotFound()
    {
        var time = new FakeTimeProvider();
        using var meters = new TestMeters();
        var a = new PeerListAssembler(time, new RegistrationMetrics(meters, time));
        Assert.Null(a.Add(Sn, Part(3, 0, 3, "192.0.2.1")));
        Assert.Null(a.Add(Sn, Part(4, 0, 2, "192.0.2.5")));
        time.Advance(PeerListAssembler.QuietLimit - TimeSpan.FromMilliseconds(100));
        Assert.Null(a.Add(Sn, Part(3, 1, 3, "192.0.2.2"))); // list 3 is still arriving, list 4 is not
        time.Advance(TimeSpan.FromMilliseconds(100));

        // No datagram needed: the daemon loop's timer calls it. The quiet list keeps its parts.
        Assert.Equal(1, a.RepairQuiet(PeerListAssembler.QuietLimit));
        Assert.Equal(2, a.PendingLists);
        Assert.Equal(3, a.PendingParts);
        Assert.Equal(0, meters.Total("vxrd.control.dropped", "reason=incomplete"));
        Assert.NotNull(a.Add(Sn, Part(3, 2, 3, "192.0.2.3")));
    }

    [Fact]
    public void RepairQuiet_SecondAnswerWithTheSameGeneration_FillsTheMissingPartsAndCompletes()
    {
        var time = new FakeTimeProvider();
        var a = new PeerListAssembler(time);
        // The first answer: parts 0 and 2 of 4 arrive, 1 and 3 are lost.
        Assert.Null(a.Add(Sn, Part(9, 0, 4, "192.0.2.1")));
        Assert.Null(a.Add(Sn, Part(9, 2, 4, "192.0.2.3")));
        time.Advance(PeerListAssembler.QuietLimit);
        Assert.Equal(1, a.RepairQuiet(PeerListAssembler.QuietLimit));

        // The repeated answer (same message generation) loses part 0 this time: parts held fill it in.
        Assert.Null(a.Add(Sn, Part(9, 1, 4, "192.0.2.2")));
        Assert.Null(a.Add(Sn, Part(9, 2, 4, "192.0.2.3")));
        var update = a.Add(Sn, Part(9, 3, 4, "192.0.2.4"));

        Assert.NotNull(update);
        Assert.True(update.Repaired);
        Assert.Equal(["192.0.2.1", "192.0.2.2", "192.0.2.3", "192.0.2.4"], update.Members[100].Select(x => x.ToString()));
        Assert.Equal(0, a.PendingLists);
    }

    [Fact]
    public void NewestIncomplete_TwoListsHeld_NamesTheNewestWithItsHeldPartsAndMarksItRepaired()
    {
        var a = new PeerListAssembler();
        Assert.Null(a.NewestIncomplete());
        Assert.Null(a.Add(Sn, new PeerListMessage(90, [V(100, "192.0.2.1")], Generation: 7, PartIndex: 0, PartCount: 2) { Generations = [new(100, 40)] }));
        foreach (ushort i in new ushort[] { 0, 1, 3, 9 })
            Assert.Null(a.Add(Sn, new PeerListMessage(90, [V(100, $"192.0.2.{10 + i}")], Generation: 8, PartIndex: i, PartCount: 10) { Generations = [new(100, 41)] }));
        // A split message of deltas, newer still, is never named: the held generations repair it.
        Assert.Null(a.Add(Sn, new PeerListMessage(90, [], Generation: 9, PartIndex: 0, PartCount: 2) { Deltas = [new(100, 41, 42, [IPAddress.Parse("192.0.2.99")], [])] }));

        var named = a.NewestIncomplete();

        Assert.Equal(new IncompleteList(8, 10, [0b1101_0000, 0b0100_0000]), named);
        Assert.Equal(6, named!.Missing);
        Assert.Equal(3, a.PendingLists); // naming keeps the parts
        PeerListUpdate? update = null;
        foreach (ushort i in new ushort[] { 2, 4, 5, 6, 7, 8 })
            update = a.Add(Sn, new PeerListMessage(90, [V(100, $"192.0.2.{10 + i}")], Generation: 8, PartIndex: i, PartCount: 10) { Generations = [new(100, 41)] });
        Assert.NotNull(update);
        Assert.True(update.Repaired); // completed by the answer to key 7: older than what came meanwhile, not a restart
        Assert.Equal(10, update.Members[100].Count);
        Assert.Equal(new IncompleteList(7, 2, [0b1000_0000]), a.NewestIncomplete());
    }

    [Fact]
    public void Add_SameGenerationFromAnotherInstance_TheOldRunsListIsDroppedNotCompleted()
    {
        // A restarted service node counts message generations from the start again (PROTOCOL.md 5.3): its part
        // must not complete the old run's list, which can never complete now and must not be repaired either.
        var a = new PeerListAssembler();
        Assert.Null(a.Add(Sn, new PeerListMessage(90, [V(100, "192.0.2.1")], Generation: 7, PartIndex: 0, PartCount: 2) { Generations = [new(100, 40)], Instance = 1 }));
        Assert.Null(a.Add(Sn, new PeerListMessage(90, [V(100, "192.0.2.2")], Generation: 7, PartIndex: 1, PartCount: 2) { Generations = [new(100, 90)], Instance = 2 }));
        Assert.Equal(1, a.PendingLists);
        Assert.Equal(new IncompleteList(7, 2, [0b0100_0000]) { Instance = 2 }, a.NewestIncomplete());
        var update = a.Add(Sn, new PeerListMessage(90, [V(100, "192.0.2.3")], Generation: 7, PartIndex: 0, PartCount: 2) { Generations = [new(100, 90)], Instance = 2 });
        Assert.NotNull(update);
        Assert.Equal(["192.0.2.3", "192.0.2.2"], update.Members[100].Select(x => x.ToString()));
        Assert.Equal(2u, update.Instance);
        Assert.Equal(0, a.PendingLists);
    }

    [Fact]
    public void NewestIncomplete_ListOlderThanItsLifetime_NoneNamed()
    {
        var time = new FakeTimeProvider();
        var a = new PeerListAssembler(time);
        Assert.Null(a.Add(Sn, new PeerListMessage(90, [V(100, "192.0.2.1")], Generation: 7, PartIndex: 0, PartCount: 2) { Generations = [new(100, 40)] }));
        time.Advance(PeerListAssembler.PendingLifetime);
        Assert.Null(a.NewestIncomplete());
    }

    [Fact]
    public void RepairQuiet_CalledEveryTick_FindsAListOncePerQuietPeriod()
    {
        var time = new FakeTimeProvider();
        var a = new PeerListAssembler(time);
        Assert.Null(a.Add(Sn, Part(9, 0, 2, "192.0.2.1")));
        time.Advance(PeerListAssembler.QuietLimit);
        Assert.Equal(1, a.RepairQuiet(PeerListAssembler.QuietLimit));

        // The quiet time starts over at the repair: timer ticks before another quiet period find nothing.
        for (int tick = 0; tick < 4; tick++)
        {
            time.Advance(TimeSpan.FromMilliseconds(100));
            Assert.Equal(0, a.RepairQuiet(PeerListAssembler.QuietLimit));
        }
        time.Advance(PeerListAssembler.QuietLimit - TimeSpan.FromMilliseconds(400));
        Assert.Equal(1, a.RepairQuiet(PeerListAssembler.QuietLimit));
        Assert.Equal(1, a.PendingParts);
    }

    [Fact]
    public void RepairQuiet_ListNeverCompletes_GivenUpAfterPendingLifetimeAndCounted()
    {
        var time = new FakeTimeProvider();
        using var meters = new TestMeters();
        var a = new PeerListAssembler(time, new RegistrationMetrics(meters, time));
        Assert.Null(a.Add(Sn, Part(9, 0, 3, "192.0.2.1")));
        Assert.Null(a.Add(Sn, Part(9, 1, 3, "192.0.2.2")));
        int repairs = 0;
        for (var waited = TimeSpan.Zero; waited < PeerListAssembler.PendingLifetime; waited += PeerListAssembler.QuietLimit)
        {
            time.Advance(PeerListAssembler.QuietLimit);
            repairs += a.RepairQuiet(PeerListAssembler.QuietLimit);
        }

        Assert.Equal(0, a.PendingLists);
        Assert.Equal(0, a.PendingParts);
        Assert.Equal(2, meters.Total("vxrd.control.dropped", "reason=incomplete"));
        Assert.InRange(repairs, 1, (int)(PeerListAssembler.PendingLifetime / PeerListAssembler.QuietLimit));
    }

    [Fact]
    public void RepairQuiet_RepairedListsStillBounded_FurthestFromCompletionEvicted()
    {
        var time = new FakeTimeProvider();
        using var meters = new TestMeters();
        var a = new PeerListAssembler(time, new RegistrationMetrics(meters, time));
        for (uint g = 1; g <= PeerListAssembler.MaxPendingListsPerSender; g++) Assert.Null(a.Add(Sn, Part(g, 0, 3, "192.0.2.1")));
        time.Advance(PeerListAssembler.QuietLimit);
        Assert.Equal(PeerListAssembler.MaxPendingListsPerSender, a.RepairQuiet(PeerListAssembler.QuietLimit));

        // Kept lists do not raise the bounds: one more list evicts one of them.
        Assert.Null(a.Add(Sn, Part(99, 0, 2, "192.0.2.9")));
        Assert.Equal(PeerListAssembler.MaxPendingListsPerSender, a.PendingLists);
        Assert.Equal(1, meters.Total("vxrd.control.dropped", "reason=evicted"));
    }

    [Fact]
    public void Add_SameGenerationFromAnotherPort_KeptApart()
    {
        var a = new PeerListAssembler(new FakeTimeProvider());
        var other = new IPEndPoint(Sn.Address, 10002);
        Assert.Null(a.Add(Sn, Part(3, 0, 2, "192.0.2.1")));
        Assert.Null(a.Add(other, Part(3, 1, 2, "192.0.2.66")));
        var update = a.Add(Sn, Part(3, 1, 2, "192.0.2.2"));
        Assert.NotNull(update);
        Assert.Equal(["192.0.2.1", "192.0.2.2"], update.Members[100].Select(x => x.ToString()));
    }

    [Theory]
    [InlineData(2, 2)]
    [InlineData(3, 5)]
    public void Add_BadOrInconsistentPart_DroppedAndCounted(ushort index, ushort count)
    {
        using var meters = new TestMeters();
        var a = new PeerListAssembler(new FakeTimeProvider(), new RegistrationMetrics(meters, new FakeTimeProvider()));
        Assert.Null(a.Add(Sn, Part(3, 0, 2, "192.0.2.1")));
        Assert.Null(a.Add(Sn, Part(3, index, count, "192.0.2.66")));
        Assert.Equal(1, meters.Total("vxrd.control.dropped"));
        Assert.NotNull(a.Add(Sn, Part(3, 1, 2, "192.0.2.2")));
    }
}
