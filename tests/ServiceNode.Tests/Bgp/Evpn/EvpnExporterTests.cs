using System.Net;
using Replicator.ServiceNode.Bgp;
using Replicator.ServiceNode.Bgp.Evpn;
using Replicator.ServiceNode.Registry;
using static Replicator.ServiceNode.Tests.Bgp.Evpn.EvpnTestBed;

namespace Replicator.ServiceNode.Tests.Bgp.Evpn;

public sealed class EvpnExporterTests : IDisposable
{
    private readonly EvpnTestBed _bed = new();

    public EvpnExporterTests() => _bed.StartExport();

    public void Dispose() => _bed.Dispose();

    [Fact]
    public void Apply_Registration_AnnouncesRouteWithRdRtPmsiAndNextHop()
    {
        _bed.Run(r => r.Apply(Register("n1", 100, "192.0.2.11")));

        var route = Assert.Single(_bed.Speaker.Announced);
        var vtep = IPAddress.Parse("192.0.2.11");
        // RD type 1, 192.0.2.11:100; RT 65000:100 as the 8 bytes FRR sends (0002 fde8 00000064).
        Assert.Equal(0x0001_C000_020B_0064UL, route.Key.RouteDistinguisher);
        Assert.Equal(0u, route.Key.EthernetTag);
        Assert.Equal(vtep, route.Key.OriginatingRouter);
        Assert.Equal(100u, route.Vni);
        Assert.Equal(vtep, route.TunnelEndpoint);
        Assert.Equal(vtep, route.NextHop);
        Assert.Equal([0x0002_FDE8_0000_0064UL], route.RouteTargets);
        Assert.Empty(_bed.Speaker.Withdrawn);
        Assert.Equal(1, _bed.Metric("vxsnd.bgp.evpn.routes.exported"));
    }

    [Fact]
    public void Apply_Deregistration_WithdrawsTheRoute()
    {
        _bed.Run(r => r.Apply(Register("n1", 100, "192.0.2.11")));
        var key = _bed.Speaker.Announced.Single().Key;

        _bed.Run(r => r.Apply(Deregister("n1", 100, "192.0.2.11")));

        Assert.Equal([key], _bed.Speaker.Withdrawn);
        Assert.Empty(_bed.Speaker.Exported);
        Assert.Equal(0, _bed.Metric("vxsnd.bgp.evpn.routes.exported"));
    }

    [Fact]
    public void ExpireDue_RegistrationExpired_WithdrawsTheRoute()
    {
        _bed.Run(r => r.Apply(Register("n1", 100, "192.0.2.11")));
        _bed.Time.Advance(TimeSpan.FromSeconds(89));
        _bed.Run(r => r.ExpireDue());
        Assert.Empty(_bed.Speaker.Withdrawn);

        _bed.Time.Advance(TimeSpan.FromSeconds(1));
        _bed.Run(r => r.ExpireDue());

        Assert.Single(_bed.Speaker.Withdrawn);
        Assert.Empty(_bed.Speaker.Exported);
    }

    [Fact]
    public void AddStatic_StaticEntry_AnnouncedAndWithdrawnOnDelete()
    {
        var entry = new StaticEntry(200, Addr("198.51.100.7"));
        _bed.Run(r => Assert.True(r.AddStatic(entry).Succeeded));
        Assert.Equal(200u, Assert.Single(_bed.Speaker.Announced).Vni);

        _bed.Run(r => r.RemoveStatic(entry));

        Assert.Single(_bed.Speaker.Withdrawn);
    }

    [Fact]
    public void Apply_Relayed_Announced()
    {
        _bed.Run(r => r.Apply(Register("n1", 100, "192.0.2.11") with { Relayed = true }));

        Assert.Single(_bed.Speaker.Announced);
    }

    [Fact]
    public void Learn_LearnedEntry_NotAnnouncedUntilRegistered()
    {
        _bed.Run(r => r.Learn(100, Addr("192.0.2.11")));
        Assert.Empty(_bed.Speaker.Announced);

        // Same entry, now registered: its source changed, not the membership, and it is exported.
        _bed.Run(r => r.Apply(Register("n1", 100, "192.0.2.11")));

        Assert.Single(_bed.Speaker.Announced);
    }

    [Fact]
    public void OnMulticastRoute_EvpnEntry_NotAnnounced()
    {
        _bed.Bridge.OnMulticastRoute(Reflector1, FrrRoute("192.0.2.21", 100));

        Assert.True(_bed.Registry.Contains(100, Addr("192.0.2.21")));
        Assert.Empty(_bed.Speaker.Announced);
    }

    [Fact]
    public void Apply_RegisteredEntryAlsoImported_WithdrawnWhenOnlyEvpnHoldsIt()
    {
        _bed.Bridge.OnMulticastRoute(Reflector1, FrrRoute("192.0.2.11", 100));
        _bed.Run(r => r.Apply(Register("n1", 100, "192.0.2.11")));
        Assert.Single(_bed.Speaker.Announced);

        _bed.Run(r => r.Apply(Deregister("n1", 100, "192.0.2.11")));

        // Still an entry (the EVPN route holds it), but no longer one of ours to announce.
        Assert.True(_bed.Registry.Contains(100, Addr("192.0.2.11")));
        Assert.Single(_bed.Speaker.Withdrawn);
    }

    [Fact]
    public void Start_ExistingEntries_AnnouncedOnce()
    {
        using var bed = new EvpnTestBed();
        bed.Run(r => r.Apply(Register("n1", 100, "192.0.2.11", "192.0.2.12")));
        bed.Run(r => r.AddStatic(new StaticEntry(300, Addr("192.0.2.13"))));
        bed.Run(r => r.Learn(100, Addr("192.0.2.14")));
        Assert.Empty(bed.Speaker.Announced);

        bed.StartExport();
        bed.StartExport(); // a second start changes nothing

        Assert.Equal(3, bed.Speaker.Announced.Count);
        Assert.Equal(3, bed.Speaker.Exported.Count);
    }

    [Fact]
    public void Apply_OneRegistrationAmongTenThousandEntries_OneAnnounce()
    {
        var addresses = Enumerable.Range(1, 10_000).Select(i => $"2001:db8::1:{i:x}").ToArray();
        _bed.Run(r => Assert.True(r.Apply(Register("many", 100, addresses)).Succeeded));
        Assert.Equal(10_000, _bed.Speaker.Exported.Count);
        _bed.Speaker.Clear();

        _bed.Run(r => r.Apply(Register("one", 100, "192.0.2.11")));
        Assert.Single(_bed.Speaker.Announced);
        Assert.Empty(_bed.Speaker.Withdrawn);

        // A refresh of all 10,000 changes nothing that is exported: no announcement at all.
        _bed.Speaker.Clear();
        _bed.Run(r => r.Apply(Register("many", 100, addresses)));
        Assert.Empty(_bed.Speaker.Announced);
        Assert.Equal(10_001, _bed.Metric("vxsnd.bgp.evpn.routes.exported"));
    }

    [Fact]
    public void Apply_TwoVnisWithTheSameLow16Bits_SecondWaitsForTheRoute()
    {
        _bed.Run(r => r.Apply(Register("n1", 100, "192.0.2.11")));
        _bed.Run(r => r.Apply(Register("n1", 65_536 + 100, "192.0.2.11")));

        Assert.Single(_bed.Speaker.Announced);
        Assert.Equal(1, _bed.Collisions);

        // The holder goes: the waiting VNI takes the NLRI over (a replacement, not a withdrawal).
        _bed.Run(r => r.Apply(Deregister("n1", 100, "192.0.2.11")));
        Assert.Empty(_bed.Speaker.Withdrawn);
        Assert.Equal(65_636u, Assert.Single(_bed.Speaker.Exported).Value.Vni);
    }

    [Fact]
    public void Apply_Ipv6Vtep_RouteDistinguisherFromTheLocalAs()
    {
        _bed.Run(r => r.Apply(Register("n1", 100, "2001:db8::11")));

        var route = Assert.Single(_bed.Speaker.Announced);
        // Type 0, 65000:100: type 1 has no room for an IPv6 address.
        Assert.Equal(0x0000_FDE8_0000_0064UL, route.Key.RouteDistinguisher);
        Assert.Equal(IPAddress.Parse("2001:db8::11"), route.TunnelEndpoint);
    }

    [Fact]
    public void Build_TwoClusterNodesExportingTheSameVtep_IdenticalRoutes()
    {
        // Node A holds the VTEP's registration, node B the relayed copy; each exports it on its own, and
        // the speakers' UPDATEs are the same bytes.
        using var a = new EvpnTestBed();
        using var b = new EvpnTestBed();
        a.StartExport();
        b.StartExport();
        a.Run(r => r.Apply(Register("vtep1", 100, "192.0.2.11", "2001:db8::11")));
        b.Run(r => r.Apply(Register("vtep1", 100, "192.0.2.11", "2001:db8::11") with { Relayed = true }));

        Assert.Equal(2, a.Speaker.Announced.Count);
        foreach (var (x, y) in a.Speaker.Announced.Zip(b.Speaker.Announced))
        {
            Assert.Equal(Wire(x), Wire(y));
        }
    }

    [Fact]
    public void Build_Registration_UpdateCarriesFrrsPmsiAndCommunities()
    {
        _bed.Run(r => r.Apply(Register("n1", 100, "192.0.2.11")));

        string update = Convert.ToHexString(Wire(_bed.Speaker.Announced.Single())).ToLowerInvariant();

        // As in FRR's type-3 UPDATE for 192.0.2.11, VNI 100: PMSI ingress replication, label 100 unshifted,
        // tunnel 192.0.2.11; VXLAN encapsulation and RT 65000:100; the NLRI with RD 192.0.2.11:100.
        Assert.Contains("c01609000600006" + "4c000020b", update);
        Assert.Contains("030c000000000008", update);
        Assert.Contains("0002fde800000064", update);
        Assert.Contains("0311" + "0001c000020b0064" + "00000000" + "20c000020b", update);
    }

    /// <summary>The UPDATE the speaker sends for <paramref name="route"/>, encoded by the BGP codec.</summary>
    private static byte[] Wire(EvpnMulticastRoute route) => Protocol.Bgp.BgpEncoder.Encode(BgpSession.ToUpdate(route));
}
