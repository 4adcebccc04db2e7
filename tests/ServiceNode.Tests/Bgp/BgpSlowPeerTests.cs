using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Replicator.Protocol.Bgp;
using Replicator.ServiceNode.Bgp;
using Replicator.TestSupport.Bgp;

namespace Replicator.ServiceNode.Tests.Bgp;

/// <summary>
/// A peer that stops reading while the exported set churns, over real TCP on 127.0.0.1 with small
/// socket buffers on both ends, so the session's sends block after a few dozen UPDATEs and its
/// export queue (8 changes) overflows. When the peer reads again, it must end with exactly the set.
/// </summary>
public sealed class BgpSlowPeerTests : IAsyncDisposable
{
    private const int QueueLimit = 8;
    private const int SocketBufferBytes = 4096;
    private static readonly uint RouterId = BgpSettings.ToRouterId(IPAddress.Parse("192.0.2.10"));

    private readonly ScriptedBgpPeer _peer = new(receiveBufferBytes: SocketBufferBytes);
    private readonly BgpExportTable _exports = new();
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly CancellationTokenSource _stop = new();
    private readonly BgpSession _session;
    private Task? _running;

    public BgpSlowPeerTests()
    {
        var settings = new BgpSettings(65000, RouterId, [new BgpPeerId(_peer.EndPoint)], 90, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(8),
            null, null, MaxRoutesPerPeer: 1000, MaxQueuedChangesPerPeer: QueueLimit);
        _session = new BgpSession(settings.Peers[0], settings, _exports, [],
            new BgpMetrics(_services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>()), new FakeTimeProvider(), NullLogger.Instance,
            new Random(1), family => new Socket(family, SocketType.Stream, ProtocolType.Tcp) { SendBufferSize = SocketBufferBytes });
    }

    [Fact]
    public async Task Export_PeerStopsReadingWhileSetChurns_OverflowsThenPeerEndsWithExactlyTheSet()
    {
        // Held by the peer before it stalls: some will be withdrawn and some changed while it does not read.
        for (int i = 0; i < 50; i++) _exports.Announce(Route(i, 100));
        _running = Task.Run(() => _session.RunAsync(_stop.Token));
        await _peer.AcceptAsync();
        await _peer.OpenAsync();
        var rib = new Dictionary<EvpnMulticastRouteKey, uint>();
        while (await ReadUpdateAsync(rib) is not { IsEvpnEndOfRib: true })
        {
        }
        Assert.Equal(50, rib.Count);

        // The peer reads nothing from here on. 5000 new routes are about 500 KB of UPDATEs: far more than both
        // socket buffers and the queue hold, so the queue overflows however fast the machine is.
        const int First = 1000, Last = 6000;
        for (int i = First; i < Last; i++) _exports.Announce(Route(i, 200));
        for (int i = 0; i < 25; i++) _exports.Withdraw(Route(i, 100).Key);
        for (int i = 25; i < 40; i++) _exports.Announce(Route(i, 300));
        for (int i = First; i < Last; i += 3) _exports.Withdraw(Route(i, 200).Key);

        // The peer reads again, until it holds the set (each read fails after 20 s without a message). Then a marker:
        // a single change goes through the queue, so it arrives after everything the session sent before it, and
        // nothing sent in between may have undone the set.
        var expected = _exports.Snapshot().ToDictionary(r => r.Key, r => r.Vni);
        while (!Same(expected, rib)) await ReadUpdateAsync(rib);
        var marker = Route(999, 999);
        _exports.Announce(marker);
        while (!rib.ContainsKey(marker.Key)) await ReadUpdateAsync(rib);

        expected = _exports.Snapshot().ToDictionary(r => r.Key, r => r.Vni);
        Assert.Equal(expected.Count, rib.Count);
        Assert.All(expected, e => Assert.Equal(e.Value, Assert.Contains(e.Key, (IReadOnlyDictionary<EvpnMulticastRouteKey, uint>)rib)));
        Assert.True(_session.ExportOverflows >= 1);
        Assert.Equal(expected.Count, _session.RoutesAdvertised);
        Assert.Equal(BgpSessionState.Established, _session.State);
    }

    /// <summary>Reads the next UPDATE (KEEPALIVEs skipped) and applies it to <paramref name="rib"/> as a route reflector would.</summary>
    private async Task<BgpUpdateMessage> ReadUpdateAsync(Dictionary<EvpnMulticastRouteKey, uint> rib)
    {
        var update = await _peer.ExpectAsync<BgpUpdateMessage>();
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

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_running is not null) await _running.WaitAsync(ScriptedBgpPeer.Deadline).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await _peer.DisposeAsync();
        await _services.DisposeAsync();
        _stop.Dispose();
    }
}
