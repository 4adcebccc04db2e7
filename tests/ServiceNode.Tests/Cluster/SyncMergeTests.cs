using System.Net;
using Microsoft.Extensions.Time.Testing;
using Replicator.Protocol.Control;
using Replicator.ServiceNode.Cluster;
using Replicator.ServiceNode.Registry;
using EntrySource = Replicator.ServiceNode.Registry.EntrySource;
using ResponseWanted = Replicator.ServiceNode.Registry.ResponseWanted;

namespace Replicator.ServiceNode.Tests.Cluster;

public sealed class SyncMergeTests
{
    private static readonly VtepAddress A = Addr("192.0.2.1");
    private static readonly VtepAddress B = Addr("192.0.2.2");
    private static readonly VtepAddress C = Addr("2001:db8::3");
    private static readonly VtepAddress D = Addr("192.0.2.4");

    private readonly FakeTimeProvider _peerTime = new();
    private readonly FakeTimeProvider _time = new();
    private readonly ServiceNode.Registry.Registry _peer;
    private readonly ServiceNode.Registry.Registry _registry;

    public SyncMergeTests()
    {
        var limits = new RegistryLimits(1000, 100, TimeSpan.FromSeconds(30));
        _peer = new(limits, _peerTime, new MemberTable());
        _registry = new(limits, _time, new MemberTable());
    }

    private static VtepAddress Addr(string text) => VtepAddress.FromIPAddress(IPAddress.Parse(text));

    private static Registration Reg(string node, int seconds, bool relayed, params (uint Vni, VtepAddress[] Addresses)[] vnis) =>
        new(node, TimeSpan.FromSeconds(seconds), relayed, ResponseWanted.None, [.. vnis.Select(v => new VniRegistration(v.Vni, v.Addresses))]);

    /// <summary>The peer's table through the wire: snapshot, Sync frames, decode.</summary>
    private List<SyncEntry> Transfer()
    {
        var entries = SyncSnapshot.Take(_peer);
        var received = new List<SyncEntry>();
        foreach (var frame in ControlCodec.EncodeSync(entries))
        {
            Assert.True(ControlCodec.TryDecode(frame, out var message, out var error), error.ToString());
            received.AddRange(((SyncMessage)message).Entries);
        }
        return received;
    }

    [Fact]
    public void Take_MixedTable_RegisteredAndRelayedOnlyWithRemainingTimeAndNodeId()
    {
        Assert.True(_peer.Apply(Reg("vtep-a", 90, false, (100, [A]), (200, [A]))).Succeeded);
        Assert.True(_peer.Apply(Reg("vtep-c", 60, true, (100, [C]))).Succeeded);
        Assert.True(_peer.AddStatic(new StaticEntry(100, D)).Succeeded);
        Assert.True(_peer.Learn(300, B).Succeeded);
        _peerTime.Advance(TimeSpan.FromSeconds(10.5));

        var entries = SyncSnapshot.Take(_peer);

        Assert.Equal(3, entries.Count);
        Assert.Contains(new SyncEntry(100, A.ToIPAddress(), 80, "vtep-a", Protocol.Control.WireEntrySource.Registered), entries);
        Assert.Contains(new SyncEntry(200, A.ToIPAddress(), 80, "vtep-a", Protocol.Control.WireEntrySource.Registered), entries);
        Assert.Contains(new SyncEntry(100, C.ToIPAddress(), 50, "vtep-c", Protocol.Control.WireEntrySource.Relayed), entries);
    }

    [Fact]
    public void Apply_PeerTable_HeldAsRelayedUntilThePeersExpiry()
    {
        Assert.True(_peer.Apply(Reg("vtep-a", 90, false, (100, [A]), (200, [A]))).Succeeded);
        Assert.True(_peer.Apply(Reg("vtep-c", 60, true, (100, [C]))).Succeeded);
        _peerTime.Advance(TimeSpan.FromSeconds(10));

        var result = SyncMerge.Apply(_registry, Transfer());

        Assert.Equal(new SyncMergeResult(3, 0, 0), result);
        var views = _registry.GetEntries();
        Assert.Equal(3, views.Count);
        Assert.All(views, v => Assert.Equal(EntrySource.Relayed, v.Source));
        Assert.Equal("vtep-a", views.Single(v => v.Vni == 200).NodeId);

        _time.Advance(TimeSpan.FromSeconds(50) - TimeSpan.FromTicks(1));
        _registry.ExpireDue();
        Assert.True(_registry.Contains(100, C));
        _time.Advance(TimeSpan.FromTicks(1));
        _registry.ExpireDue();
        Assert.False(_registry.Contains(100, C)); // expired when it would have on the peer
        Assert.True(_registry.Contains(100, A));
        _time.Advance(TimeSpan.FromSeconds(30));
        _registry.ExpireDue();
        Assert.Equal(0, _registry.EntryCount);
    }

    [Fact]
    public void Apply_StaticExpiredInvalidAndLearned_SkippedOrLearned()
    {
        var entries = new List<SyncEntry>
        {
            new(100, IPAddress.Parse("192.0.2.1"), 30, "vtep-a", Protocol.Control.WireEntrySource.Static),
            new(100, IPAddress.Parse("192.0.2.2"), 0, "vtep-b", Protocol.Control.WireEntrySource.Registered),
            new(100, IPAddress.Parse("224.0.0.1"), 30, "vtep-m", Protocol.Control.WireEntrySource.Registered),
            new(100, IPAddress.Parse("192.0.2.4"), 30, "vtep-d", Protocol.Control.WireEntrySource.Learned),
        };

        var result = SyncMerge.Apply(_registry, entries);

        Assert.Equal(new SyncMergeResult(1, 3, 0), result);
        var view = Assert.Single(_registry.GetEntries());
        Assert.Equal((D, EntrySource.Learned), (view.Address, view.Source));
    }

    [Fact]
    public void Apply_BeyondMaxMembers_RejectedWholeGroupOthersKept()
    {
        var small = new ServiceNode.Registry.Registry(new RegistryLimits(1000, 1, TimeSpan.FromSeconds(30)), _time, new MemberTable());
        var entries = new List<SyncEntry>
        {
            new(100, IPAddress.Parse("192.0.2.1"), 30, "vtep-a", Protocol.Control.WireEntrySource.Registered),
            new(100, IPAddress.Parse("192.0.2.2"), 30, "vtep-b", Protocol.Control.WireEntrySource.Registered),
            new(200, IPAddress.Parse("192.0.2.2"), 40, "vtep-b", Protocol.Control.WireEntrySource.Registered),
        };

        var result = SyncMerge.Apply(small, entries);

        Assert.Equal(new SyncMergeResult(2, 0, 1), result);
        Assert.Equal(2, small.EntryCount);
    }

    [Fact]
    public void Apply_OntoStaticEntry_StaticKeptAndDynamicAdded()
    {
        Assert.True(_registry.AddStatic(new StaticEntry(100, A)).Succeeded);
        var result = SyncMerge.Apply(_registry, [new SyncEntry(100, A.ToIPAddress(), 30, "vtep-a", Protocol.Control.WireEntrySource.Registered)]);

        Assert.Equal(1, result.Applied);
        Assert.Equal(EntrySource.Static, Assert.Single(_registry.GetEntries()).Source);
        Assert.Equal(1, _registry.EntryCount);
    }
}
