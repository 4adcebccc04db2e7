using System.Net;
using System.Text.Json;
using Replicator.ServiceNode.Bgp.Evpn;
using Replicator.ServiceNode.Management;
using Replicator.ServiceNode.Registry;
using static Replicator.ServiceNode.Tests.Bgp.Evpn.EvpnTestBed;

namespace Replicator.ServiceNode.Tests.Bgp.Evpn;

public sealed class EvpnBridgeTests : IDisposable
{
    private static readonly VtepAddress Frr1 = Addr("192.0.2.21");

    private readonly EvpnTestBed _bed = new();

    public void Dispose() => _bed.Dispose();

    private EntryView Entry(uint vni, VtepAddress address) => _bed.Registry.GetEntries(vni).Single(e => e.Address == address);

    [Fact]
    public void OnMulticastRoute_FrrRoute_EntryWithSourceEvpnThatNeverAges()
    {
        _bed.Bridge.OnMulticastRoute(Reflector1, FrrRoute("192.0.2.21", 100));

        var entry = Entry(100, Frr1);
        Assert.Equal(EntrySource.Evpn, entry.Source);
        Assert.Null(entry.Remaining);
        Assert.Equal(1, _bed.Registry.CountBySource(EntrySource.Evpn));
        Assert.Equal(1, _bed.Metric("vxsnd.bgp.evpn.routes.imported"));

        _bed.Time.Advance(TimeSpan.FromDays(2));
        _bed.Run(r => r.ExpireDue());
        Assert.True(_bed.Registry.Contains(100, Frr1));
    }

    [Fact]
    public void OnMulticastRoute_ImportedEntry_InFdbJsonAsEvpn()
    {
        _bed.Bridge.OnMulticastRoute(Reflector1, FrrRoute("192.0.2.21", 100));

        var response = _bed.Registry.GetEntries().Select(ServiceNodeEndpoints.ToResponse).ToList();
        // With the management API's settings (ManagementJson) and vxsnd's generated metadata, as `vxsnd fdb --json` prints it.
        var options = Hosting.Management.ManagementJson.Configure(new JsonSerializerOptions(JsonSerializerDefaults.Web));
        options.TypeInfoResolver = ServiceNodeJsonContext.Default;
        string json = JsonSerializer.Serialize(response, options);

        using var doc = JsonDocument.Parse(json);
        var entry = Assert.Single(doc.RootElement.EnumerateArray());
        Assert.Equal("evpn", entry.GetProperty("source").GetString());
        Assert.Equal("192.0.2.21", entry.GetProperty("address").GetString());
        Assert.False(entry.TryGetProperty("holdRemaining", out _)); // never ages
    }

    [Fact]
    public void OnMulticastRoute_ImportedEntry_InTheDataPlaneMembersAndPeerLists()
    {
        _bed.Run(r => r.Apply(Register("vxrd1", 100, "192.0.2.11")));
        _bed.Bridge.OnMulticastRoute(Reflector1, FrrRoute("192.0.2.21", 100));

        // What a HeadEnd vxrd is sent for VNI 100 (the pusher and the answers build it this way) ...
        var members = new List<VtepAddress>();
        _bed.Registry.CollectMembers(100, members);
        Assert.Equal([Addr("192.0.2.11"), Frr1], members.OrderBy(a => a.ToString()));
        // ... and what the data plane replicates to in ServiceNode mode.
        Assert.True(_bed.Table.TryGet(100, out var snapshot));
        Assert.Contains(IPAddress.Parse("192.0.2.21"), snapshot.Addresses);
    }

    [Fact]
    public void OnMulticastRouteWithdrawn_TheOnlyRoute_EntryGone()
    {
        var route = FrrRoute("192.0.2.21", 100);
        _bed.Bridge.OnMulticastRoute(Reflector1, route);

        _bed.Bridge.OnMulticastRouteWithdrawn(Reflector1, route.Key);

        Assert.False(_bed.Registry.Contains(100, Frr1));
        Assert.False(_bed.Table.TryGet(100, out _));
        Assert.Equal(0, _bed.Metric("vxsnd.bgp.evpn.routes.imported"));
    }

    [Fact]
    public void OnMulticastRoute_SameRouteFromTwoReflectors_OneEntryHeldWhileEitherHasIt()
    {
        var route = FrrRoute("192.0.2.21", 100);
        _bed.Bridge.OnMulticastRoute(Reflector1, route);
        _bed.Bridge.OnMulticastRoute(Reflector2, route);
        Assert.Equal(1, _bed.Registry.EntryCount);
        Assert.Equal(2, _bed.Metric("vxsnd.bgp.evpn.routes.imported"));

        _bed.Bridge.OnMulticastRouteWithdrawn(Reflector1, route.Key);
        Assert.True(_bed.Registry.Contains(100, Frr1));

        _bed.Bridge.OnMulticastRouteWithdrawn(Reflector2, route.Key);
        Assert.False(_bed.Registry.Contains(100, Frr1));
    }

    [Fact]
    public void OnSessionLost_NotAnnouncedAgain_GoneAfterGrace()
    {
        _bed.Bridge.OnMulticastRoute(Reflector1, FrrRoute("192.0.2.21", 100));

        _bed.Bridge.OnSessionLost(Reflector1);
        _bed.Time.Advance(Grace - TimeSpan.FromSeconds(1));
        Assert.True(_bed.Registry.Contains(100, Frr1));

        _bed.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.False(_bed.Registry.Contains(100, Frr1));
        Assert.Equal(1, _bed.Metric("vxsnd.bgp.evpn.import.stale_removed"));
    }

    [Fact]
    public void OnSessionLost_AnnouncedAgain_KeptAfterGrace()
    {
        var kept = FrrRoute("192.0.2.21", 100);
        var gone = FrrRoute("192.0.2.22", 100);
        _bed.Bridge.OnMulticastRoute(Reflector1, kept);
        _bed.Bridge.OnMulticastRoute(Reflector1, gone);

        _bed.Bridge.OnSessionLost(Reflector1);
        _bed.Bridge.OnSessionEstablished(Reflector1);
        _bed.Bridge.OnMulticastRoute(Reflector1, kept);
        _bed.Time.Advance(Grace);

        Assert.True(_bed.Registry.Contains(100, Frr1));
        Assert.False(_bed.Registry.Contains(100, Addr("192.0.2.22")));
    }

    [Fact]
    public void OnEndOfRib_AfterReconnect_StaleRoutesGoAtOnce()
    {
        _bed.Bridge.OnMulticastRoute(Reflector1, FrrRoute("192.0.2.21", 100));
        _bed.Bridge.OnMulticastRoute(Reflector1, FrrRoute("192.0.2.22", 100));
        _bed.Bridge.OnSessionLost(Reflector1);
        _bed.Bridge.OnSessionEstablished(Reflector1);
        _bed.Bridge.OnMulticastRoute(Reflector1, FrrRoute("192.0.2.21", 100));

        _bed.Bridge.OnEndOfRib(Reflector1);

        Assert.True(_bed.Registry.Contains(100, Frr1));
        Assert.False(_bed.Registry.Contains(100, Addr("192.0.2.22")));
        // The grace timer was stopped: a second loss later starts its own full grace.
        _bed.Bridge.OnSessionLost(Reflector1);
        _bed.Time.Advance(Grace - TimeSpan.FromSeconds(1));
        Assert.True(_bed.Registry.Contains(100, Frr1));
    }

    [Fact]
    public void OnSessionLost_OtherReflectorStillHasTheRoute_EntryKept()
    {
        var route = FrrRoute("192.0.2.21", 100);
        _bed.Bridge.OnMulticastRoute(Reflector1, route);
        _bed.Bridge.OnMulticastRoute(Reflector2, route);

        _bed.Bridge.OnSessionLost(Reflector1);
        _bed.Time.Advance(Grace);

        Assert.True(_bed.Registry.Contains(100, Frr1));
        Assert.Equal(1, _bed.Metric("vxsnd.bgp.evpn.routes.imported"));
    }

    [Fact]
    public void OnMulticastRoute_RegisteredAddress_OneEntryHeldByBoth()
    {
        _bed.Run(r => r.Apply(Register("vxrd1", 100, "192.0.2.21")));
        var route = FrrRoute("192.0.2.21", 100);
        _bed.Bridge.OnMulticastRoute(Reflector1, route);
        Assert.Equal(EntrySource.Registered, Entry(100, Frr1).Source);
        Assert.Equal(1, _bed.Registry.EntryCount);

        _bed.Run(r => r.Apply(Deregister("vxrd1", 100, "192.0.2.21")));
        Assert.Equal(EntrySource.Evpn, Entry(100, Frr1).Source);

        _bed.Bridge.OnMulticastRouteWithdrawn(Reflector1, route.Key);
        Assert.Equal(0, _bed.Registry.EntryCount);
    }

    [Fact]
    public void OnMulticastRoute_RouteTargetNotImported_DroppedAndCounted()
    {
        _bed.Bridge.OnMulticastRoute(Reflector1, FrrRoute("192.0.2.21", 100, asNumber: 65001));

        Assert.Equal(0, _bed.Registry.EntryCount);
        Assert.Equal(1, _bed.Metric("vxsnd.bgp.evpn.import.dropped{reason=filtered}"));
    }

    [Fact]
    public void OnMulticastRoute_ImportAnyRouteTarget_Imported()
    {
        using var bed = new EvpnTestBed(options: new EvpnOptions { ImportRouteTargets = ["*"] });

        bed.Bridge.OnMulticastRoute(Reflector1, FrrRoute("192.0.2.21", 100, asNumber: 65001));

        Assert.Equal(1, bed.Registry.EntryCount);
    }

    [Fact]
    public void OnMulticastRoute_RefusedAddresses_DroppedAndCounted()
    {
        _bed.Bridge.OnMulticastRoute(Reflector1, FrrRoute("127.0.0.1", 100));
        _bed.Bridge.OnMulticastRoute(Reflector1, FrrRoute("224.0.0.5", 100));

        Assert.Equal(0, _bed.Registry.EntryCount);
        Assert.Equal(2, _bed.Metric("vxsnd.bgp.evpn.import.dropped{reason=address}"));
        Assert.Equal(1, _bed.Registry.RefusedCount(EntrySource.Evpn, Hosting.Addressing.AddressRefusal.Loopback));
    }

    [Fact]
    public void OnMulticastRoute_VniAboveLimit_Dropped()
    {
        var route = FrrRoute("192.0.2.21", 100) with { Vni = 1u << 24 };

        _bed.Bridge.OnMulticastRoute(Reflector1, route);

        Assert.Equal(1, _bed.Metric("vxsnd.bgp.evpn.import.dropped{reason=invalid_vni}"));
    }

    [Fact]
    public void OnMulticastRoute_Limits_DroppedAndCountedByReason()
    {
        using var bed = new EvpnTestBed(new RegistryLimits(3, 2, TimeSpan.FromSeconds(90)));
        bed.Bridge.OnMulticastRoute(Reflector1, FrrRoute("192.0.2.21", 100));
        bed.Bridge.OnMulticastRoute(Reflector1, FrrRoute("192.0.2.22", 100));
        bed.Bridge.OnMulticastRoute(Reflector1, FrrRoute("192.0.2.23", 100)); // VNI 100 is full
        bed.Bridge.OnMulticastRoute(Reflector1, FrrRoute("192.0.2.24", 200));
        bed.Bridge.OnMulticastRoute(Reflector1, FrrRoute("192.0.2.25", 200)); // the registry is full

        Assert.Equal(3, bed.Registry.EntryCount);
        Assert.Equal(1, bed.Metric("vxsnd.bgp.evpn.import.dropped{reason=too_many_members}"));
        Assert.Equal(1, bed.Metric("vxsnd.bgp.evpn.import.dropped{reason=too_many_entries}"));
        // A second route for an entry that is already there needs no room.
        bed.Bridge.OnMulticastRoute(Reflector2, FrrRoute("192.0.2.21", 100));
        Assert.Equal(4, bed.Metric("vxsnd.bgp.evpn.routes.imported"));
    }

    [Fact]
    public void OnMulticastRoute_SameKeyNewVni_EntryMoves()
    {
        var route = FrrRoute("192.0.2.21", 100);
        _bed.Bridge.OnMulticastRoute(Reflector1, route);

        _bed.Bridge.OnMulticastRoute(Reflector1, route with { Vni = 200, RouteTargets = [(2UL << 48) | (65000UL << 32) | 200] });

        Assert.False(_bed.Registry.Contains(100, Frr1));
        Assert.True(_bed.Registry.Contains(200, Frr1));
    }

    [Fact]
    public void OnMulticastRoute_ImportOff_Ignored()
    {
        using var bed = new EvpnTestBed(options: new EvpnOptions { Import = false });

        bed.Bridge.OnMulticastRoute(Reflector1, FrrRoute("192.0.2.21", 100));

        Assert.Equal(0, bed.Registry.EntryCount);
    }

    [Fact]
    public void Learn_EvpnEntry_StaysEvpn()
    {
        _bed.Bridge.OnMulticastRoute(Reflector1, FrrRoute("192.0.2.21", 100));

        _bed.Run(r => r.Learn(100, Frr1));

        Assert.Equal(EntrySource.Evpn, Entry(100, Frr1).Source);
        Assert.Equal(0, _bed.Registry.CountBySource(EntrySource.Learned));
    }
}
