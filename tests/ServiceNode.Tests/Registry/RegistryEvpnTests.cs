using System.Net;
using Microsoft.Extensions.Time.Testing;
using Replicator.ServiceNode.Registry;

namespace Replicator.ServiceNode.Tests.Registry;

/// <summary>The EVPN part of an entry: independent of the dynamic part and the static flag, never aged, bounded like the rest.</summary>
public sealed class RegistryEvpnTests
{
    private static readonly VtepAddress A = VtepAddress.FromIPAddress(IPAddress.Parse("192.0.2.1"));
    private static readonly VtepAddress B = VtepAddress.FromIPAddress(IPAddress.Parse("192.0.2.2"));

    private readonly FakeTimeProvider _time = new();
    private readonly ServiceNode.Registry.Registry _registry;

    public RegistryEvpnTests() => _registry = new(new RegistryLimits(100, 10, TimeSpan.FromSeconds(30)), _time, new MemberTable());

    private static Registration Reg(TimeSpan hold, VtepAddress address) =>
        new("n1", hold, false, ResponseWanted.None, [new VniRegistration(100, [address])]);

    [Fact]
    public void AddEvpn_RegistrationExpires_EntryStaysAsEvpn()
    {
        _registry.Apply(Reg(TimeSpan.FromSeconds(90), A));
        Assert.True(_registry.AddEvpn(100, A).Succeeded);
        Assert.Equal(1, _registry.CountBySource(EntrySource.Registered));

        _time.Advance(TimeSpan.FromSeconds(90));
        _registry.ExpireDue();

        var entry = Assert.Single(_registry.GetEntries());
        Assert.Equal(EntrySource.Evpn, entry.Source);
        Assert.Null(entry.Remaining);
        Assert.Null(entry.NodeId);
        Assert.Equal(0, _registry.CountBySource(EntrySource.Registered));
        Assert.Equal(1, _registry.CountBySource(EntrySource.Evpn));
    }

    [Fact]
    public void RemoveStatic_AlsoEvpn_EntryStays()
    {
        var entry = new StaticEntry(100, A);
        _registry.AddStatic(entry);
        _registry.AddEvpn(100, A);

        _registry.RemoveStatic(entry);
        Assert.Equal(EntrySource.Evpn, Assert.Single(_registry.GetEntries()).Source);

        _registry.RemoveEvpn(100, A);
        Assert.Equal(0, _registry.EntryCount);
        Assert.Equal(0, _registry.VniCount);
    }

    [Fact]
    public void RemoveEvpn_RegisteredToo_RegistrationStays()
    {
        _registry.AddEvpn(100, A);
        _registry.Apply(Reg(TimeSpan.FromSeconds(90), A));

        _registry.RemoveEvpn(100, A);

        Assert.Equal(EntrySource.Registered, Assert.Single(_registry.GetEntries()).Source);
    }

    [Fact]
    public void AddEvpn_ExistingEntry_NeedsNoRoom()
    {
        var registry = new ServiceNode.Registry.Registry(new RegistryLimits(1, 1, TimeSpan.FromSeconds(30)), _time, new MemberTable());
        registry.Apply(Reg(TimeSpan.FromSeconds(90), A));

        Assert.True(registry.AddEvpn(100, A).Succeeded);
        Assert.Equal(RegistryError.TooManyMembers, registry.AddEvpn(100, B).Error);
        Assert.Equal(1, registry.EntryCount);
    }

    [Fact]
    public void TakeExportChanges_EvpnOnlyEntry_NoChangeNoted()
    {
        _registry.TrackExports();
        _registry.AddEvpn(100, A);
        Assert.False(_registry.HasExportChanges);

        // Registering it makes it exported; its registration expiring makes it EVPN-only again.
        _registry.Apply(Reg(TimeSpan.FromSeconds(90), A));
        var changes = new List<(uint, VtepAddress)>();
        _registry.TakeExportChanges(changes);
        Assert.Equal([(100u, A)], changes);
        Assert.True(_registry.IsExported(100, A));

        _time.Advance(TimeSpan.FromSeconds(90));
        _registry.ExpireDue();
        Assert.True(_registry.HasExportChanges);
        Assert.False(_registry.IsExported(100, A));
    }
}
