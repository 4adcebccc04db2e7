using Replicator.TestSupport;
using Replicator.TestSupport.Bgp;

namespace Replicator.EndToEnd.Tests.Evpn;

/// <summary>
/// An EVPN fabric shared by a test class (FRR takes seconds to start and stop): one underlay
/// 192.0.2.0/24, an FRR route reflector (192.0.2.1), a GoBGP route reflector (192.0.2.2) and two
/// FRR VTEPs (192.0.2.11, 192.0.2.12) each with a host on VNI 100 (203.0.113.11, .12). Torn down
/// completely, also when building it failed half-way.
/// </summary>
public sealed class EvpnFabricFixture : IAsyncLifetime
{
    public const uint Asn = 65000;
    public const uint Vni = 100;
    public const string FrrReflectorAddress = "192.0.2.1";
    public const string GoBgpReflectorAddress = "192.0.2.2";

    private BridgedUnderlay? _underlay;

    public FrrInstance FrrReflector { get; private set; } = null!;

    public GoBgpInstance GoBgpReflector { get; private set; } = null!;

    public EvpnVtep VtepA { get; private set; } = null!;

    public EvpnVtep VtepB { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        if (BgpTools.SkipReason is not null) return; // the tests skip; build nothing
        _underlay = new BridgedUnderlay("evpnfab");
        try
        {
            string[] reflectors = [FrrReflectorAddress, GoBgpReflectorAddress];
            FrrReflector = await FrrInstance.StartAsync(_underlay.Add("rrf", FrrReflectorAddress, 24),
                FrrConfig.RouteReflector(FrrReflectorAddress, Asn, "192.0.2.0/24"), withZebra: false);
            GoBgpReflector = await GoBgpInstance.StartRouteReflectorAsync(_underlay.Add("rrg", GoBgpReflectorAddress, 24),
                GoBgpReflectorAddress, Asn, ["192.0.2.11", "192.0.2.12"]);
            VtepA = await EvpnVtep.StartAsync(_underlay.Add("vtepa", "192.0.2.11", 24), "192.0.2.11", Asn, reflectors, [(Vni, "203.0.113.11/24")]);
            VtepB = await EvpnVtep.StartAsync(_underlay.Add("vtepb", "192.0.2.12", 24), "192.0.2.12", Asn, reflectors, [(Vni, "203.0.113.12/24")]);
        }
        catch
        {
            await DisposeAsync();
            throw;
        }
    }

    /// <summary>Everything the daemons logged, for a failure message.</summary>
    public string Diagnostics() => string.Join('\n',
        FrrReflector?.Diagnostics(), GoBgpReflector?.Diagnostics(), VtepA?.Frr?.Diagnostics(), VtepB?.Frr?.Diagnostics());

    public Task DisposeAsync()
    {
        VtepB?.Dispose();
        VtepA?.Dispose();
        GoBgpReflector?.Dispose();
        FrrReflector?.Dispose();
        _underlay?.Dispose();
        return Task.CompletedTask;
    }
}
