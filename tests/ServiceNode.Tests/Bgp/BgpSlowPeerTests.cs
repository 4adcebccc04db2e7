using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Replicator.Protocol.Bgp;
using Replicator.ServiceNode.Bgp;

namespace Replicator.ServiceNode.Tests.Bgp;

/// <summary>
/// A peer that stops reading while the exported set churns, over real TCP on 127.0.0.1 with small
/// socket buffers on both ends, so the session's sends block after a few dozen UPDATEs and its
/// export queue (8 changes) overflows. When the peer reads again, it must end with exactly the set.
/// </summary>
public sealed class BgpSlowPeerTests
{
    private const int QueueLimit = 8;
    private const int SocketBufferBytes = 4096;
    private static readonly uint RouterId = BgpSettings.ToRouterId(IPAddress.Parse("192.0.2.10"));

    [Fact]
    public async Task Export_PeerStopsReadingWhileSetChurns_OverflowsThenPeerEndsWithExactlyTheSet()
    {
        await using var peer = new ScriptedBgpPeer(receiveBufferBytes: SocketBufferBytes);
        await using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var exports = new BgpExportTable();
        var settings = new BgpSettings(65000, RouterId, [new BgpPeerId(peer.EndPoint)], 90, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(8),
            null, null, MaxRoutesPerPeer: 1000, MaxQueuedChangesPerPeer: QueueLimit);
        var session = new BgpSession(settings.Peers[0], settings, exports, [],
            new BgpMetrics(services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>()), new FakeTimeProvider(), NullLogger.Instance,
            new Random(1), family => new Socket(family, SocketType.Stream, ProtocolType.Tcp) { SendBufferSize = SocketBufferBytes });
        using var stop = new CancellationTokenSource();

        // Held by the peer before it stalls: some will be withdrawn and some changed while it does not read.
        for (int i = 0; i < 50; i++) exports.Announce(Route(i, 100));
        Task running = Task.Run(() => session.RunAsync(stop.Token));
        try
        {
            await peer.AcceptAsync();
            await peer.OpenAsync();
            var rib = new Dictionary<EvpnMulticastRouteKey, uint>();
            while (await ReadUpdateAsync(peer, rib) is not { IsEvpnEndOfRib: true })
            {
            }
            Assert.Equal(50, rib.Count);

            // The peer reads nothing from here on. 5000 new routes are about 500 KB of UPDATEs: far more than both
            // socket buffers and the queue hold, so the queue overflows however fast the machine is.
            const int First = 1000, Last = 6000;
            for (int i = First; i < Last; i++) exports.Announce(Route(i, 200));
            for (int i = 0; i < 25; i++) exports.Withdraw(Route(i, 100).Key);
            for (int i = 25; i < 40; i++) exports.Announce(Route(i, 300));
            for (int i = First; i < Last; i += 3) exports.Withdraw(Route(i, 200).Key);

            // The peer reads again, until it holds the set (each read fails after 20 s without a message). Then a marker:
            // a single change goes through the queue, so it arrives after everything the session sent before it, and
            // nothing sent in between may have undone the set.
            var expected = exports.Snapshot().ToDictionary(r => r.Key, r => r.Vni);
            while (!Same(expected, rib)) await ReadUpdateAsync(peer, rib);
            var marker = Route(999, 999);
            exports.Announce(marker);
            while (!rib.ContainsKey(marker.Key)) await ReadUpdateAsync(peer, rib);

            expected = exports.Snapshot().ToDictionary(r => r.Key, r => r.Vni);
            Assert.True(Same(expected, rib));
            Assert.True(session.ExportOverflows >= 1);
            // The session counts a route after its write completed, which may be just after the peer read it.
            for (var deadline = DateTime.UtcNow.AddSeconds(20); session.RoutesAdvertised != expected.Count && DateTime.UtcNow < deadline;) await Task.Delay(10);
            Assert.Equal(expected.Count, session.RoutesAdvertised);
            Assert.Equal(BgpSessionState.Established, session.State);
        }
        finally
        {
            await stop.CancelAsync();
            await running.WaitAsync(ScriptedBgpPeer.Deadline).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing | ConfigureAwaitOptions.ContinueOnCapturedContext);
        }
    }

    /// <summary>Reads the next UPDATE (KEEPALIVEs skipped) and applies it to <paramref name="rib"/> as a route reflector would.</summary>
    private static async Task<BgpUpdateMessage> ReadUpdateAsync(ScriptedBgpPeer peer, Dictionary<EvpnMulticastRouteKey, uint> rib)
    {
        var update = await peer.ExpectAsync<BgpUpdateMessage>();
        foreach (var route in update.MpUnreach?.Routes ?? [])
        {
            if (route is EvpnInclusiveMulticastRoute imet) rib.Remove(Key(imet));
        }
        foreach (var route in update.MpReach?.Routes ?? [])
        {
            if (route is EvpnInclusiveMulticastRoute imet) rib[Key(imet)] = update.PmsiTunnel!.Label;
        }
        return update;
    }

    private static bool Same(Dictionary<EvpnMulticastRouteKey, uint> expected, Dictionary<EvpnMulticastRouteKey, uint> rib) =>
        expected.Count == rib.Count && expected.All(e => rib.TryGetValue(e.Key, out uint vni) && vni == e.Value);

    private static EvpnMulticastRouteKey Key(EvpnInclusiveMulticastRoute route) => new(route.RouteDistinguisher, route.EthernetTag, route.OriginatingRouter);

    /// <summary>Route <paramref name="i"/> (its own RD, one documentation address) with <paramref name="vni"/> as its version.</summary>
    private static EvpnMulticastRoute Route(int i, uint vni)
    {
        var vtep = IPAddress.Parse("198.51.100.7");
        return new(new EvpnMulticastRouteKey(0x0001_0000_0000_0000UL | (uint)i, 0, vtep), vni, vtep, vtep, [BgpExtendedCommunities.RouteTarget(65000, vni)]);
    }
}
