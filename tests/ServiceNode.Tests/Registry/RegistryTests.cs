using System.Net;
using Microsoft.Extensions.Time.Testing;
using Replicator.ServiceNode.Registry;

namespace Replicator.ServiceNode.Tests.Registry;

public sealed class RegistryTests
{
    private static readonly TimeSpan Hold = TimeSpan.FromSeconds(90);
    private static readonly VtepAddress A = Addr("192.0.2.1");
    private static readonly VtepAddress B = Addr("192.0.2.2");
    private static readonly VtepAddress C = Addr("2001:db8::3");

    private readonly FakeTimeProvider _time = new();
    private readonly MemberTable _table = new();
    private readonly ServiceNode.Registry.Registry _registry;

    public RegistryTests() => _registry = new(new RegistryLimits(100, 10, TimeSpan.FromSeconds(30)), _time, _table);

    private static VtepAddress Addr(string text) => VtepAddress.FromIPAddress(IPAddress.Parse(text));

    private static Registration Reg(string node, TimeSpan hold, params (uint Vni, VtepAddress[] Addresses)[] vnis) =>
        new(node, hold, false, ResponseWanted.None, [.. vnis.Select(v => new VniRegistration(v.Vni, v.Addresses))]);

    [Fact]
    public void Apply_Registration_EntryExpiresExactlyAtHoldTime()
    {
        Assert.True(_registry.Apply(Reg("n1", Hold, (100, [A]))).Succeeded);

        _time.Advance(Hold - TimeSpan.FromTicks(1));
        _registry.ExpireDue();
        Assert.True(_registry.Contains(100, A));

        _time.Advance(TimeSpan.FromTicks(1));
        Assert.Equal(1, _registry.ExpireDue());
        Assert.False(_registry.Contains(100, A));
        Assert.Equal(0, _registry.EntryCount);
        Assert.Equal(0, _registry.VniCount);
    }

    [Fact]
    public void Apply_Refresh_ExtendsExpiry()
    {
        _registry.Apply(Reg("n1", Hold, (100, [A])));
        _time.Advance(TimeSpan.FromSeconds(60));
        _registry.Apply(Reg("n1", Hold, (100, [A])));
        _time.Advance(TimeSpan.FromSeconds(60));
        _registry.ExpireDue();
        Assert.True(_registry.Contains(100, A));
        Assert.Equal(TimeSpan.FromSeconds(30), _registry.GetEntries(100).Single().Remaining);
        _time.Advance(TimeSpan.FromSeconds(30));
        _registry.ExpireDue();
        Assert.False(_registry.Contains(100, A));
    }

    [Fact]
    public void Apply_HoldZero_WithdrawsAtOnce()
    {
        _registry.Apply(Reg("n1", Hold, (100, [A]), (200, [A])));
        _registry.Apply(Reg("n1", TimeSpan.Zero, (100, [A])));
        Assert.False(_registry.Contains(100, A));
        Assert.True(_registry.Contains(200, A));
    }

    [Fact]
    public void Apply_WithdrawFromOldNodeId_Ignored()
    {
        _registry.Apply(Reg("new", Hold, (100, [A])));
        _registry.Apply(Reg("old", TimeSpan.Zero, (100, [A])));
        Assert.True(_registry.Contains(100, A));
    }

    [Fact]
    public void Apply_NewNodeIdFromSameAddress_ReplacesOldEntries()
    {
        _registry.Apply(Reg("boot1", Hold, (100, [A]), (200, [A])));
        _time.Advance(TimeSpan.FromSeconds(10));
        _registry.Apply(Reg("boot2", TimeSpan.FromSeconds(30), (100, [A])));

        var entries = _registry.GetEntries();
        var entry = Assert.Single(entries);
        Assert.Equal(100u, entry.Vni);
        Assert.Equal("boot2", entry.NodeId);
        Assert.Equal(TimeSpan.FromSeconds(30), entry.Remaining);
        Assert.False(_registry.Contains(200, A));
    }

    [Fact]
    public void AddStatic_NeverAges()
    {
        Assert.True(_registry.AddStatic(new StaticEntry(100, A)).Succeeded);
        _time.Advance(TimeSpan.FromDays(400));
        _registry.ExpireDue();
        var entry = Assert.Single(_registry.GetEntries());
        Assert.Null(entry.Remaining);
        Assert.Equal(EntrySource.Static, entry.Source);
    }

    [Fact]
    public void RemoveStatic_RegisteredToo_RegistrationStays()
    {
        _registry.AddStatic(new StaticEntry(100, A));
        _registry.Apply(Reg("n1", Hold, (100, [A])));
        Assert.Equal(EntrySource.Static, _registry.GetEntries().Single().Source);
        Assert.True(_registry.RemoveStatic(new StaticEntry(100, A)).Succeeded);
        Assert.Equal(EntrySource.Registered, _registry.GetEntries().Single().Source);
        Assert.Equal(RegistryError.NotFound, _registry.RemoveStatic(new StaticEntry(100, A)).Error);
    }

    [Fact]
    public void Apply_OverMaxMembersPerVni_RejectedWithNoPartialUpdate()
    {
        var registry = new ServiceNode.Registry.Registry(new RegistryLimits(100, 2, Hold), _time, _table);
        registry.Apply(Reg("n1", Hold, (100, [A])));
        var result = registry.Apply(Reg("n2", Hold, (200, [B]), (100, [B, C])));
        Assert.Equal(RegistryError.TooManyMembers, result.Error);
        Assert.Equal(1, registry.EntryCount);
        Assert.False(registry.Contains(200, B)); // the acceptable VNI listed first was not applied either
    }

    [Fact]
    public void Apply_OverMaxEntries_RejectedWithNoPartialUpdate()
    {
        var registry = new ServiceNode.Registry.Registry(new RegistryLimits(2, 10, Hold), _time, _table);
        registry.Apply(Reg("n1", Hold, (100, [A])));
        var result = registry.Apply(Reg("n2", Hold, (200, [B]), (300, [B])));
        Assert.Equal(RegistryError.TooManyEntries, result.Error);
        Assert.Equal(1, registry.EntryCount);
        // Refreshing existing entries needs no room.
        Assert.True(registry.Apply(Reg("n1", Hold, (100, [A]))).Succeeded);
    }

    [Fact]
    public void Apply_InvalidVniOrAddress_RejectedWhole()
    {
        Assert.Equal(RegistryError.InvalidVni, _registry.Apply(Reg("n", Hold, (100, [A]), (1u << 24, [A]))).Error);
        Assert.Equal(RegistryError.InvalidAddress, _registry.Apply(Reg("n", Hold, (100, [A]), (200, [Addr("0.0.0.0")]))).Error);
        Assert.Equal(RegistryError.InvalidAddress, _registry.Apply(Reg("n", Hold, (100, [Addr("ff02::1")]))).Error);
        Assert.Equal(RegistryError.InvalidHoldTime, _registry.Apply(Reg("n", TimeSpan.FromSeconds(-1), (100, [A]))).Error);
        Assert.Equal(0, _registry.EntryCount);
    }

    [Fact]
    public void ReplaceStatic_OverBounds_NothingChanges()
    {
        var registry = new ServiceNode.Registry.Registry(new RegistryLimits(100, 2, Hold), _time, _table);
        registry.AddStatic(new StaticEntry(5, A));
        var result = registry.ReplaceStatic([new StaticEntry(1, A), new StaticEntry(2, A), new StaticEntry(2, B), new StaticEntry(2, C)]);
        Assert.Equal(RegistryError.TooManyMembers, result.Error);
        Assert.Equal([new StaticEntry(5, A)], registry.StaticEntries);
        Assert.True(registry.Contains(5, A));
    }

    [Fact]
    public void ReplaceStatic_Valid_ReplacesSetAndPersistsFirst()
    {
        var persisted = new RecordingPersistence();
        _registry.PersistStatic = persisted;
        _registry.AddStatic(new StaticEntry(5, A));
        Assert.True(_registry.ReplaceStatic([new StaticEntry(6, B)]).Succeeded);
        Assert.Equal(["+ 5 " + A, "= 6 " + B], persisted.Changes);
        Assert.False(_registry.Contains(5, A));
        Assert.True(_registry.Contains(6, B));
    }

    [Fact]
    public void AddStatic_PersistFails_NothingChanges()
    {
        _registry.PersistStatic = new RecordingPersistence { Failure = new IOException("disk full") };
        var result = _registry.AddStatic(new StaticEntry(5, A));
        Assert.Equal(RegistryError.StorageFailed, result.Error);
        Assert.Contains("disk full", result.Message);
        Assert.Equal(0, _registry.EntryCount);
    }

    [Fact]
    public void Learn_ExistingRegistered_NotDowngraded()
    {
        _registry.Apply(Reg("n1", Hold, (100, [A])));
        _registry.Learn(100, A);
        _registry.Learn(100, B);
        var entries = _registry.GetEntries(100);
        Assert.Equal(EntrySource.Registered, entries.Single(e => e.Address == A).Source);
        var learned = entries.Single(e => e.Address == B);
        Assert.Equal(EntrySource.Learned, learned.Source);
        Assert.Equal(TimeSpan.FromSeconds(30), learned.Remaining);
    }

    [Fact]
    public void PublishChanges_MembershipChanged_PublishesSnapshotPerChangedVni()
    {
        _registry.Apply(Reg("n1", Hold, (100, [A]), (200, [A])));
        _registry.Apply(Reg("n2", Hold, (100, [C])));
        Assert.Equal([100u, 200u], _registry.PublishChanges().Order());
        Assert.True(_table.TryGet(100, out var members));
        Assert.Equal(2, members.Addresses.Length);
        Assert.Equal(1, members.IPv6Count);

        // A refresh changes no membership: nothing to publish.
        _registry.Apply(Reg("n1", Hold, (100, [A])));
        Assert.Empty(_registry.PublishChanges());

        _registry.Apply(Reg("n1", TimeSpan.Zero, (200, [A])));
        Assert.Equal([200u], _registry.PublishChanges());
        Assert.False(_table.TryGet(200, out _));
    }

    [Fact]
    public void CountBySource_Mixed_CountsEachEntryOnce()
    {
        _registry.Apply(Reg("n1", Hold, (100, [A])));
        _registry.Apply(new Registration("n2", Hold, true, ResponseWanted.None, [new VniRegistration(100, [B])]));
        _registry.Learn(100, C);
        _registry.AddStatic(new StaticEntry(100, A));
        Assert.Equal(3, _registry.EntryCount);
        Assert.Equal(0, _registry.CountBySource(EntrySource.Registered));
        Assert.Equal(1, _registry.CountBySource(EntrySource.Relayed));
        Assert.Equal(1, _registry.CountBySource(EntrySource.Learned));
        Assert.Equal(1, _registry.CountBySource(EntrySource.Static));
    }

    [Fact]
    public void CollectSubscribers_OnlyMembersThatAskedForResponses()
    {
        var endpoint = new IPEndPoint(IPAddress.Loopback, 40000);
        _registry.Apply(new Registration("n1", Hold, false, ResponseWanted.RegisteredVnis, [new VniRegistration(100, [A])], endpoint));
        _registry.Apply(new Registration("n2", Hold, false, ResponseWanted.None, [new VniRegistration(100, [B])], new IPEndPoint(IPAddress.Loopback, 40001)));
        var subscribers = new HashSet<IPEndPoint>();
        _registry.CollectSubscribers(100, subscribers);
        Assert.Equal([endpoint], subscribers);
    }

    /// <summary>Records each change as "+ e", "- e" or "= e, e..."; throws <see cref="Failure"/> if set.</summary>
    private sealed class RecordingPersistence : IStaticEntriesPersistence
    {
        public List<string> Changes { get; } = [];

        public Exception? Failure { get; init; }

        public void Add(StaticEntry entry) => Record("+ " + entry);

        public void Remove(StaticEntry entry) => Record("- " + entry);

        public void ReplaceAll(IReadOnlyCollection<StaticEntry> entries) => Record("= " + string.Join(", ", entries));

        private void Record(string change)
        {
            if (Failure is not null) throw Failure;
            Changes.Add(change);
        }
    }
}
