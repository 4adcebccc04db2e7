using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Replicator.Protocol.Bgp;
using Replicator.ServiceNode.Bgp;
using Replicator.TestSupport;
using Replicator.TestSupport.Bgp;

namespace Replicator.ServiceNode.Tests.Bgp;

/// <summary>
/// Session set-up against the real route reflectors (Debian's FRR 8.4 bgpd and GoBGP 3.10), with
/// the speaker's sessions in process and their sockets made in a namespace of their own on the
/// underlay 192.0.2.0/24: both sessions establish (FRR offers hold 9 s, GoBGP 90 s), the route we
/// export reaches both reflectors, FRR's reflection of it back to us is dropped as our own, and
/// stopping closes both with Cease. The whole exchange with the bridge and the registry is
/// EndToEnd.Tests' (Evpn/EvpnInteropTests).
/// </summary>
[Collection(KernelCollection.Name)]
public sealed class BgpInteropTests
{
    private const uint Asn = 65000;
    private const string FrrReflector = "192.0.2.1";
    private const string GoBgpReflector = "192.0.2.2";
    private const string Speaker = "192.0.2.10";
    private static readonly IPAddress Vtep = IPAddress.Parse("192.0.2.21");

    [BgpFact]
    public async Task Sessions_FrrAndGoBgpReflectors_EstablishCarryOurRouteAndCloseWithCease()
    {
        using var underlay = new BridgedUnderlay("bgpspk");
        using FrrInstance frr = await FrrInstance.StartAsync(underlay.Add("rrf", FrrReflector, 24),
            FrrConfig.RouteReflector(FrrReflector, Asn, "192.0.2.0/24"), withZebra: false);
        using GoBgpInstance gobgp = await GoBgpInstance.StartRouteReflectorAsync(underlay.Add("rrg", GoBgpReflector, 24), GoBgpReflector, Asn, [Speaker]);
        NetworkNamespace speakerNamespace = underlay.Add("spk", Speaker, 24);
        await using ServiceProvider services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var metrics = new BgpMetrics(services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>());

        var settings = new BgpSettings(Asn, BgpSettings.ToRouterId(IPAddress.Parse(Speaker)),
            [new BgpPeerId(new IPEndPoint(IPAddress.Parse(FrrReflector), 179)), new BgpPeerId(new IPEndPoint(IPAddress.Parse(GoBgpReflector), 179))],
            90, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(2), null, null, 1000);
        var exports = new BgpExportTable();
        exports.Announce(new EvpnMulticastRoute(new EvpnMulticastRouteKey(0x0001_c0000215_0002UL, 0, Vtep), 100, Vtep, Vtep,
            [BgpExtendedCommunities.RouteTarget(65000, 100)]));
        var listener = new RecordingRouteListener();
        BgpSession[] sessions = [.. settings.Peers.Select(p => new BgpSession(p, settings, exports, [listener], metrics, TimeProvider.System, NullLogger.Instance,
            createSocket: family => speakerNamespace.Enter(() => new Socket(family, SocketType.Stream, ProtocolType.Tcp))))];
        using var stop = new CancellationTokenSource();
        Task[] running = [.. sessions.Select(s => Task.Run(() => s.RunAsync(stop.Token)))];
        try
        {
            string Diagnostics() => string.Join('\n', sessions.Select(s => $"{s.PeerText}: {s.State}, last error {s.LastError}"))
                + "\n" + frr.Diagnostics() + "\n" + gobgp.Diagnostics();
            await Eventually.Until(() => sessions.All(s => s.State == BgpSessionState.Established), "both sessions established", detail: Diagnostics);
            await Eventually.Until(() => frr.PeerState(Speaker) == "Established", "FRR sees the session established", detail: Diagnostics);
            await Eventually.Until(() => gobgp.IsEstablished(Speaker), "GoBGP sees the session established", detail: Diagnostics);
            await Eventually.Until(() => frr.Type3Originators().Contains(Vtep.ToString()), "our type-3 route on the FRR reflector", detail: Diagnostics);
            await Eventually.Until(() => gobgp.Type3Originators().Contains(Vtep.ToString()), "our type-3 route on the GoBGP reflector", detail: Diagnostics);
            Assert.All(sessions, s => Assert.Equal(1, s.RoutesAdvertised));
            // FRR sends a client its own routes back (ORIGINATOR_ID = our router id): dropped, never passed on. (Neither
            // reflector sends End-of-RIB: both send it only where graceful restart was negotiated, and we do not announce it.)
            BgpSession toFrr = sessions[0];
            await Eventually.Until(() => toFrr.Status.UpdatesReceived >= 1, "our route reflected back by FRR", detail: Diagnostics);
            Assert.DoesNotContain(listener.Events, e => e.StartsWith("route ", StringComparison.Ordinal));
            Assert.All(sessions, s => Assert.Equal(0, s.RoutesReceived));
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(running).WaitAsync(TimeSpan.FromSeconds(30));
        }
        Assert.All(sessions, s => Assert.Equal(BgpSessionState.Idle, s.State));
        // bgp log-neighbor-changes: FRR logs the NOTIFICATION it received.
        await Eventually.Until(() => frr.Diagnostics().Contains("6/2 (Cease/Administrative Shutdown)", StringComparison.Ordinal),
            "FRR received Cease / administrative shutdown", detail: frr.Diagnostics);
    }
}
