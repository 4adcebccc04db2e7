using Replicator.TestSupport;
using Replicator.TestSupport.Bgp;

namespace Replicator.EndToEnd.Tests.Evpn;

/// <summary>
/// Both worlds on one underlay (192.0.2.0/24), shared by a test class: an FRR route reflector
/// (192.0.2.1), a GoBGP route reflector (192.0.2.2), vxsnd with its BGP speaker peering with both
/// (192.0.2.5), an FRR EVPN VTEP (192.0.2.11, host 203.0.113.11) and a HeadEnd vxrd VTEP
/// (192.0.2.21, host 203.0.113.21), all on VNI 100. Torn down completely, also when building it failed.
/// </summary>
public sealed class EvpnInteropFixture : IAsyncLifetime
{
    public const uint Asn = 65000;
    public const uint Vni = 100;
    public const string FrrReflectorAddress = "192.0.2.1";
    public const string GoBgpReflectorAddress = "192.0.2.2";
    public const string ServiceNodeAddress = "192.0.2.5";
    public const string FrrVtepAddress = "192.0.2.11";
    public const string VxrdVtepAddress = "192.0.2.21";

    private BridgedUnderlay? _underlay;
    private DirectoryInfo? _directory;

    public FrrInstance FrrReflector { get; private set; } = null!;

    public GoBgpInstance GoBgpReflector { get; private set; } = null!;

    public EvpnVtep FrrVtep { get; private set; } = null!;

    internal VxsndBgpNode ServiceNode { get; private set; } = null!;

    internal VxrdVtep VxrdVtep { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        if (BgpTools.SkipReason is not null) return; // the tests skip; build nothing
        _directory = Directory.CreateTempSubdirectory("evpn-interop-");
        _underlay = new BridgedUnderlay("evpnint");
        try
        {
            string keys = TestKeyFile.Write(_directory.FullName);
            FrrReflector = await FrrInstance.StartAsync(_underlay.Add("irrf", FrrReflectorAddress, 24),
                FrrConfig.RouteReflector(FrrReflectorAddress, Asn, "192.0.2.0/24"), withZebra: false);
            GoBgpReflector = await GoBgpInstance.StartRouteReflectorAsync(_underlay.Add("irrg", GoBgpReflectorAddress, 24),
                GoBgpReflectorAddress, Asn, [ServiceNodeAddress, FrrVtepAddress]);
            ServiceNode = VxsndBgpNode.Start(_underlay.Add("isn", ServiceNodeAddress, 24), ServiceNodeAddress, Asn,
                [FrrReflectorAddress, GoBgpReflectorAddress], _directory.FullName, keys, TimeSpan.FromSeconds(30));
            FrrVtep = await EvpnVtep.StartAsync(_underlay.Add("ifvtep", FrrVtepAddress, 24), FrrVtepAddress, Asn,
                [FrrReflectorAddress, GoBgpReflectorAddress], [(Vni, "203.0.113.11/24")]);
            VxrdVtep = VxrdVtep.Start(_underlay.Add("irvtep", VxrdVtepAddress, 24), VxrdVtepAddress, Vni, "203.0.113.21/24",
                ServiceNodeAddress, "HeadEnd", _directory.FullName, keys);
        }
        catch
        {
            await DisposeAsync();
            throw;
        }
    }

    /// <summary>Every daemon's output and logs, for a failure message.</summary>
    public string Diagnostics() => string.Join('\n',
        "== vxsnd", ServiceNode?.Process.Output, "== vxrd", VxrdVtep?.Process.Output,
        FrrReflector?.Diagnostics(), GoBgpReflector?.Diagnostics(), FrrVtep?.Frr?.Diagnostics());

    public Task DisposeAsync()
    {
        VxrdVtep?.Dispose();
        FrrVtep?.Dispose();
        ServiceNode?.Dispose();
        GoBgpReflector?.Dispose();
        FrrReflector?.Dispose();
        _underlay?.Dispose();
        try { _directory?.Delete(recursive: true); } catch (IOException) { }
        return Task.CompletedTask;
    }
}
