using System.Diagnostics;
using Replicator.TestSupport;
using Replicator.TestSupport.Bgp;
using Xunit.Abstractions;
using static Replicator.EndToEnd.Tests.Support.OverlayChecks;

namespace Replicator.EndToEnd.Tests.Evpn;

/// <summary>
/// vxsnd's BGP speaker against real FRR and GoBGP (docs/evpn.md): sessions with both route
/// reflectors; export (a vxrd registration becomes a flood entry on the FRR VTEP) and import (the
/// FRR VTEP's type-3 route becomes an <c>evpn</c> registry entry and a flood entry on the HeadEnd
/// vxrd VTEP), withdrawal on deregistration, hosts pinging across both worlds, and the two
/// convergence times (goal below 1 s each; printed, asserted only against a generous bound).
/// Each test leaves the fabric as it found it.
/// </summary>
[Collection(KernelCollection.Name)]
public sealed class EvpnInteropTests(EvpnInteropFixture site, ITestOutputHelper output) : IClassFixture<EvpnInteropFixture>
{
    private const uint Vni = EvpnInteropFixture.Vni;
    private const int ConvergenceRounds = 3;
    private static readonly TimeSpan ConvergenceBound = TimeSpan.FromSeconds(15);

    [BgpFact]
    public async Task Sessions_VxsndWithFrrAndGoBgpReflectors_Establish()
    {
        await Eventually.Until(() => site.ServiceNode.IsEstablished(EvpnInteropFixture.FrrReflectorAddress), "vxsnd established with the FRR reflector",
            detail: site.Diagnostics);
        await Eventually.Until(() => site.ServiceNode.IsEstablished(EvpnInteropFixture.GoBgpReflectorAddress), "vxsnd established with the GoBGP reflector",
            detail: site.Diagnostics);
        await Eventually.Until(() => site.FrrReflector.PeerState(EvpnInteropFixture.ServiceNodeAddress) == "Established",
            "the FRR reflector established with vxsnd", detail: site.Diagnostics);
        await Eventually.Until(() => site.GoBgpReflector.IsEstablished(EvpnInteropFixture.ServiceNodeAddress),
            "the GoBGP reflector established with vxsnd", detail: site.Diagnostics);
    }

    [BgpFact]
    public async Task Export_VxrdVtepRegisters_FrrVtepFloodsToItAndReflectorsHoldTheRoute()
    {
        await ExportConverged();
        Assert.Contains(EvpnInteropFixture.VxrdVtepAddress, site.FrrReflector.Type3Originators());
        await Eventually.Until(() => site.GoBgpReflector.Type3Originators().Contains(EvpnInteropFixture.VxrdVtepAddress),
            "the vxrd VTEP's type-3 route on the GoBGP reflector", detail: site.Diagnostics);
    }

    [BgpFact]
    public async Task Import_FrrVtepType3_EvpnRegistryEntryAndHeadEndFloodEntry()
    {
        await ImportConverged();
        Assert.Equal("evpn", site.ServiceNode.Entries(Vni)[EvpnInteropFixture.FrrVtepAddress]);
    }

    [BgpFact]
    public async Task Withdrawal_VxrdVtepDeregisters_FrrVtepRemovesFloodEntry()
    {
        await ExportConverged();
        try
        {
            site.VxrdVtep.Node.Exec("ip", "link", "set", "vxlan100", "down"); // vxrd deregisters the VNI
            await Eventually.Until(() => !site.FrrVtep.FloodEntries(Vni).Contains(EvpnInteropFixture.VxrdVtepAddress),
                "the FRR VTEP drops its flood entry to the deregistered vxrd VTEP", detail: site.Diagnostics);
            Assert.DoesNotContain(EvpnInteropFixture.VxrdVtepAddress, site.ServiceNode.Entries(Vni).Keys);
            await Eventually.Until(() => !site.FrrReflector.Type3Originators().Contains(EvpnInteropFixture.VxrdVtepAddress),
                "the FRR reflector forgets the withdrawn route", detail: site.Diagnostics);
        }
        finally
        {
            site.VxrdVtep.Node.Exec("ip", "link", "set", "vxlan100", "up");
        }
        await ExportConverged();
    }

    [BgpFact]
    public async Task Hosts_AcrossBothWorlds_Ping()
    {
        await ExportConverged();
        await ImportConverged();
        await Eventually.Until(() => site.VxrdVtep.Host.Try("ping", "-c", "1", "-W", "1", "203.0.113.11").ExitCode == 0,
            "the vxrd VTEP's host pings the FRR VTEP's host", detail: site.Diagnostics);
        Assert.Equal(0, site.FrrVtep.Hosts[0].Namespace.Try("ping", "-c", "3", "-i", "0.2", "-W", "1", site.VxrdVtep.HostIp).ExitCode);
    }

    /// <summary>
    /// From a Replicator VTEP's registration (its VXLAN device coming up: vxrd registers at once) to
    /// the flood entry on the FRR VTEP: vxrd, vxsnd, the BGP speaker, both reflectors, FRR's bgpd and zebra.
    /// </summary>
    [BgpFact]
    public async Task Convergence_VxrdRegistrationToFrrFloodEntry_Measured()
    {
        await ExportConverged();
        var times = new List<TimeSpan>();
        for (int round = 0; round < ConvergenceRounds; round++)
        {
            site.VxrdVtep.Node.Exec("ip", "link", "set", "vxlan100", "down");
            await Eventually.Until(() => !site.FrrVtep.FloodEntries(Vni).Contains(EvpnInteropFixture.VxrdVtepAddress),
                "the flood entry gone before the round", detail: site.Diagnostics);
            var clock = Stopwatch.StartNew();
            site.VxrdVtep.Node.Exec("ip", "link", "set", "vxlan100", "up");
            times.Add(Measure(clock, () => site.FrrVtep.FloodEntries(Vni).Contains(EvpnInteropFixture.VxrdVtepAddress),
                "the FRR VTEP's flood entry to the vxrd VTEP"));
        }
        Report("vxrd registration -> flood entry on the FRR VTEP", times);
    }

    /// <summary>
    /// From an FRR VTEP's type-3 route (its VXLAN device coming up: zebra tells bgpd, which announces
    /// the VNI) to the flood entry on the HeadEnd vxrd VTEP: bgpd, both reflectors, the speaker, the
    /// registry, the peer-list push, vxrd's FDB.
    /// </summary>
    [BgpFact]
    public async Task Convergence_FrrType3ToHeadEndFloodEntry_Measured()
    {
        await ImportConverged();
        var times = new List<TimeSpan>();
        for (int round = 0; round < ConvergenceRounds; round++)
        {
            site.FrrVtep.Node.Exec("ip", "link", "set", "vxlan100", "down");
            await Eventually.Until(() => !DefaultDestinations(site.VxrdVtep.Node).Contains(EvpnInteropFixture.FrrVtepAddress),
                "the HeadEnd flood entry gone before the round", detail: site.Diagnostics);
            var clock = Stopwatch.StartNew();
            site.FrrVtep.Node.Exec("ip", "link", "set", "vxlan100", "up");
            times.Add(Measure(clock, () => DefaultDestinations(site.VxrdVtep.Node).Contains(EvpnInteropFixture.FrrVtepAddress),
                "the HeadEnd vxrd VTEP's flood entry to the FRR VTEP"));
        }
        Report("FRR type-3 route -> flood entry on the HeadEnd vxrd VTEP", times);
    }

    private async Task ExportConverged() =>
        await Eventually.Until(() => site.FrrVtep.FloodEntries(Vni).Contains(EvpnInteropFixture.VxrdVtepAddress),
            "the FRR VTEP floods to the vxrd VTEP (exported type-3 route)", detail: site.Diagnostics);

    private async Task ImportConverged()
    {
        await Eventually.Until(() => site.ServiceNode.Entries(Vni).TryGetValue(EvpnInteropFixture.FrrVtepAddress, out string? source) && source == "evpn",
            "vxsnd holds the FRR VTEP as an evpn entry", detail: site.Diagnostics);
        await Eventually.Until(() => DefaultDestinations(site.VxrdVtep.Node).Contains(EvpnInteropFixture.FrrVtepAddress),
            "the HeadEnd vxrd VTEP floods to the FRR VTEP", detail: site.Diagnostics);
    }

    /// <summary>Polls every 10 ms (a poll is one bridge or CLI call) until <paramref name="done"/>; the time since <paramref name="clock"/> started.</summary>
    private TimeSpan Measure(Stopwatch clock, Func<bool> done, string what)
    {
        while (!done())
        {
            Assert.True(clock.Elapsed < ConvergenceBound, $"{what}: not within {ConvergenceBound}\n{site.Diagnostics()}");
            Thread.Sleep(10);
        }
        return clock.Elapsed;
    }

    private void Report(string what, List<TimeSpan> times)
    {
        var ms = times.Select(t => t.TotalMilliseconds).Order().ToArray();
        string line = $"EVPN convergence, {what}: median {ms[ms.Length / 2]:0} ms, min {ms[0]:0} ms, max {ms[^1]:0} ms over {ms.Length} rounds";
        output.WriteLine(line);
        Console.WriteLine(line);
    }
}
