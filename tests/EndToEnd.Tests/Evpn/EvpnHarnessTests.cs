using Replicator.TestSupport;
using Replicator.TestSupport.Bgp;

namespace Replicator.EndToEnd.Tests.Evpn;

/// <summary>
/// Proves the FRR/GoBGP harness on its own, before Replicator joins: FRR VTEPs peer with an FRR
/// and a GoBGP route reflector, their type-3 routes reach both, and each VTEP floods to the other.
/// </summary>
[Collection(KernelCollection.Name)]
public sealed class EvpnHarnessTests(EvpnFabricFixture fabric) : IClassFixture<EvpnFabricFixture>
{
    [BgpFact]
    public async Task Sessions_FrrVtepsWithFrrAndGoBgpReflectors_Establish()
    {
        foreach (var vtep in new[] { fabric.VtepA, fabric.VtepB })
        {
            await Eventually.Until(() => vtep.Frr.PeerState(EvpnFabricFixture.FrrReflectorAddress) == "Established",
                $"{vtep.Address} established with the FRR reflector", detail: fabric.Diagnostics);
            await Eventually.Until(() => vtep.Frr.PeerState(EvpnFabricFixture.GoBgpReflectorAddress) == "Established",
                $"{vtep.Address} established with the GoBGP reflector", detail: fabric.Diagnostics);
            await Eventually.Until(() => fabric.GoBgpReflector.IsEstablished(vtep.Address),
                $"the GoBGP reflector established with {vtep.Address}", detail: fabric.Diagnostics);
        }
    }

    [BgpFact]
    public async Task Type3Route_FromFrrVtep_VisibleOnBothReflectors()
    {
        foreach (var vtep in new[] { fabric.VtepA, fabric.VtepB })
        {
            await Eventually.Until(() => fabric.FrrReflector.Type3Originators().Contains(vtep.Address),
                $"{vtep.Address}'s type-3 route on the FRR reflector", detail: fabric.Diagnostics);
            await Eventually.Until(() => fabric.GoBgpReflector.Type3Originators().Contains(vtep.Address),
                $"{vtep.Address}'s type-3 route on the GoBGP reflector", detail: fabric.Diagnostics);
        }
    }

    [BgpFact]
    public async Task FloodEntries_TwoFrrVteps_EachFloodsToTheOtherAndHostsPing()
    {
        await Eventually.Until(() => fabric.VtepA.FloodEntries(EvpnFabricFixture.Vni).Contains(fabric.VtepB.Address),
            "VTEP A's flood entry to B", detail: fabric.Diagnostics);
        await Eventually.Until(() => fabric.VtepB.FloodEntries(EvpnFabricFixture.Vni).Contains(fabric.VtepA.Address),
            "VTEP B's flood entry to A", detail: fabric.Diagnostics);
        var a = fabric.VtepA.Hosts[0];
        var b = fabric.VtepB.Hosts[0];
        await Eventually.Until(() => a.Namespace.Try("ping", "-c", "1", "-W", "1", b.Ip).ExitCode == 0,
            $"{a.Ip} pings {b.Ip} across the EVPN VTEPs", detail: fabric.Diagnostics);
    }
}
