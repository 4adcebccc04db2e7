using Replicator.TestSupport;
using Replicator.TestSupport.Bgp;
using static Replicator.EndToEnd.Tests.Support.OverlayChecks;

namespace Replicator.EndToEnd.Tests.Evpn;

/// <summary>
/// What a lost BGP session does to the routes, both ways, each test on a fabric of its own (the
/// test breaks it): vxsnd with one FRR route reflector, an FRR VTEP and a HeadEnd vxrd VTEP.
/// </summary>
[Collection(KernelCollection.Name)]
public sealed class EvpnSessionLossTests
{
    private const uint Asn = 65000;
    private const uint Vni = 100;
    private const string ReflectorAddress = "192.0.2.1";
    private const string ServiceNodeAddress = "192.0.2.5";
    private const string FrrVtepAddress = "192.0.2.11";
    private const string VxrdVtepAddress = "192.0.2.21";
    private static readonly TimeSpan GraceTime = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The reflector stops: vxsnd keeps the imported FRR VTEP through the grace time (the fabric
    /// itself still floods to it), then withdraws it from the registry and from the HeadEnd VTEP.
    /// </summary>
    [BgpFact]
    public async Task SessionLoss_ReflectorStops_ImportedEntryWithdrawnAfterGraceTime()
    {
        using var site = await Site.StartAsync("evpnloss1");
        await Eventually.Until(() => DefaultDestinations(site.Vxrd.Node).Contains(FrrVtepAddress), "the HeadEnd VTEP floods to the FRR VTEP",
            detail: site.Diagnostics);

        site.Reflector.Dispose(); // Cease to vxsnd, then the TCP connection closes
        await Eventually.Until(() => !site.ServiceNode.IsEstablished(ReflectorAddress), "vxsnd notices the lost session", detail: site.Diagnostics);
        // Within the grace time (10 s; the check right after noticing the loss takes well under that).
        Assert.Equal("evpn", site.ServiceNode.Entries(Vni).GetValueOrDefault(FrrVtepAddress));

        await Eventually.Until(() => !site.ServiceNode.Entries(Vni).ContainsKey(FrrVtepAddress), "the evpn entry withdrawn after the grace time",
            detail: site.Diagnostics);
        await Eventually.Until(() => !DefaultDestinations(site.Vxrd.Node).Contains(FrrVtepAddress), "the HeadEnd VTEP drops its flood entry",
            detail: site.Diagnostics);
    }

    /// <summary>vxsnd dies: the reflector withdraws what it announced, and the FRR VTEP stops flooding to the vxrd VTEP.</summary>
    [BgpFact]
    public async Task SessionLoss_VxsndKilled_FrrVtepRemovesFloodEntry()
    {
        using var site = await Site.StartAsync("evpnloss2");
        await Eventually.Until(() => site.FrrVtep.FloodEntries(Vni).Contains(VxrdVtepAddress), "the FRR VTEP floods to the vxrd VTEP",
            detail: site.Diagnostics);

        site.ServiceNode.Process.Kill();
        await Eventually.Until(() => !site.FrrVtep.FloodEntries(Vni).Contains(VxrdVtepAddress),
            "the FRR VTEP drops its flood entry once the reflector lost vxsnd's session", detail: site.Diagnostics);
    }

    /// <summary>One small fabric; disposing removes all of it.</summary>
    private sealed class Site : IDisposable
    {
        private readonly BridgedUnderlay _underlay;
        private readonly DirectoryInfo _directory;

        private Site(string tag)
        {
            _underlay = new BridgedUnderlay(tag);
            _directory = Directory.CreateTempSubdirectory("evpn-loss-");
        }

        public FrrInstance Reflector { get; private set; } = null!;

        public VxsndBgpNode ServiceNode { get; private set; } = null!;

        public EvpnVtep FrrVtep { get; private set; } = null!;

        public VxrdVtep Vxrd { get; private set; } = null!;

        public static async Task<Site> StartAsync(string tag)
        {
            var site = new Site(tag);
            try
            {
                string keys = TestKeyFile.Write(site._directory.FullName);
                site.Reflector = await FrrInstance.StartAsync(site._underlay.Add("lrr", ReflectorAddress, 24),
                    FrrConfig.RouteReflector(ReflectorAddress, Asn, "192.0.2.0/24"), withZebra: false);
                site.ServiceNode = VxsndBgpNode.Start(site._underlay.Add("lsn", ServiceNodeAddress, 24), ServiceNodeAddress, Asn, [ReflectorAddress],
                    site._directory.FullName, keys, GraceTime);
                site.FrrVtep = await EvpnVtep.StartAsync(site._underlay.Add("lfv", FrrVtepAddress, 24), FrrVtepAddress, Asn, [ReflectorAddress],
                    [(Vni, "203.0.113.11/24")]);
                site.Vxrd = VxrdVtep.Start(site._underlay.Add("lrv", VxrdVtepAddress, 24), VxrdVtepAddress, Vni, "203.0.113.21/24",
                    ServiceNodeAddress, "HeadEnd", site._directory.FullName, keys);
                await Eventually.Until(() => site.ServiceNode.Entries(Vni).GetValueOrDefault(FrrVtepAddress) == "evpn", "vxsnd imports the FRR VTEP",
                    detail: site.Diagnostics);
                return site;
            }
            catch
            {
                site.Dispose();
                throw;
            }
        }

        public string Diagnostics() => string.Join('\n', "== vxsnd", ServiceNode?.Process.Output, "== vxrd", Vxrd?.Process.Output,
            Reflector?.Diagnostics(), FrrVtep?.Frr?.Diagnostics());

        public void Dispose()
        {
            Vxrd?.Dispose();
            FrrVtep?.Dispose();
            ServiceNode?.Dispose();
            Reflector?.Dispose();
            _underlay.Dispose();
            try { _directory.Delete(recursive: true); } catch (IOException) { }
        }
    }
}
