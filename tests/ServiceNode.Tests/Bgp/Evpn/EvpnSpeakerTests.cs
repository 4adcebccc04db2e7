using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Replicator.Protocol.Bgp;
using Replicator.ServiceNode.Bgp;
using Replicator.ServiceNode.Registry;
using static Replicator.ServiceNode.Tests.Bgp.Evpn.EvpnTestBed;

namespace Replicator.ServiceNode.Tests.Bgp.Evpn;

/// <summary>
/// The bridge with the real BGP session and codec, against a scripted route reflector over TCP on 127.0.0.1: what
/// a registration puts on the wire, what a received UPDATE puts in the registry, and a lost session's grace.
/// </summary>
public sealed class EvpnSpeakerTests : IAsyncDisposable
{
    private static readonly IPAddress Vtep11 = IPAddress.Parse("192.0.2.11");
    private static readonly IPAddress Frr21 = IPAddress.Parse("192.0.2.21");

    private readonly ScriptedBgpPeer _peer = new();
    private readonly FakeTimeProvider _sessionTime = new();
    private readonly BgpExportTable _exports = new();
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly CancellationTokenSource _stop = new();
    private readonly EvpnTestBed _bed;
    private readonly BgpSession _session;
    private Task? _running;

    /// <summary>The session's export table as the speaker the exporter drives.</summary>
    private sealed class ExportTableSpeaker(BgpExportTable table) : IBgpSpeaker
    {
        public uint LocalAs => 65000;

        public IReadOnlyList<BgpSessionStatus> Sessions => [];

        public void Announce(EvpnMulticastRoute route) => table.Announce(route);

        public void Withdraw(EvpnMulticastRouteKey key) => table.Withdraw(key);
    }

    public EvpnSpeakerTests()
    {
        _bed = new EvpnTestBed(speaker: new ExportTableSpeaker(_exports));
        var settings = new BgpSettings(65000, BgpSettings.ToRouterId(IPAddress.Parse("192.0.2.10")), [new BgpPeerId(_peer.EndPoint)], 90,
            TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(8), null, null, MaxRoutesPerPeer: 1000);
        _session = new BgpSession(settings.Peers[0], settings, _exports, [_bed.Bridge],
            new BgpMetrics(_services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>()), _sessionTime, NullLogger.Instance, new Random(1));
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_running is not null) await _running.WaitAsync(ScriptedBgpPeer.Deadline).ContinueWith(static _ => { });
        await _peer.DisposeAsync();
        _bed.Dispose();
        _services.Dispose();
        _stop.Dispose();
    }

    [Fact]
    public async Task Session_RegistrationImportAndLoss_RoutesOnTheWireAndEntriesInTheRegistry()
    {
        _bed.Run(r => r.Apply(Register("vxrd11", 100, "192.0.2.11")));
        _bed.StartExport();

        // The reflector receives our route in the initial table, before End-of-RIB.
        var initial = await EstablishAsync();
        var update = Assert.Single(initial);
        var nlri = (EvpnInclusiveMulticastRoute)Assert.Single(update.MpReach!.Routes);
        Assert.Equal((0x0001_C000_020B_0064UL, 0u, Vtep11), (nlri.RouteDistinguisher, nlri.EthernetTag, nlri.OriginatingRouter));
        Assert.Equal(Vtep11, update.MpReach.NextHop);
        Assert.Equal((PmsiTunnel.IngressReplication, 100u, Vtep11), (update.PmsiTunnel!.TunnelType, update.PmsiTunnel.Label, update.PmsiTunnel.TunnelEndpoint));

        // An FRR VTEP's route arrives: an evpn entry, in the data plane's members.
        await _peer.SendAsync(Imet(Frr21, 100));
        await _peer.SendAsync(BgpMessages.EvpnEndOfRib);
        await WaitFor(() => _bed.Read(r => r.GetEntries(100).Any(e => e.Address == VtepAddress.FromIPAddress(Frr21) && e.Source == EntrySource.Evpn)));

        // The VTEP deregisters: the reflector gets the withdrawal.
        _bed.Run(r => r.Apply(Deregister("vxrd11", 100, "192.0.2.11")));
        var withdrawal = await _peer.ExpectAsync<BgpUpdateMessage>();
        Assert.Equal(Vtep11, ((EvpnInclusiveMulticastRoute)Assert.Single(withdrawal.MpUnreach!.Routes)).OriginatingRouter);

        // The session drops: the imported entry stays through the grace time, then goes.
        _peer.CloseConnection();
        await WaitFor(() => _session.State != BgpSessionState.Established);
        await WaitFor(() => _bed.Imports.HasStale(Reflector(_peer)));
        _bed.Time.Advance(Grace - TimeSpan.FromSeconds(1));
        Assert.True(_bed.Read(r => r.Contains(100, VtepAddress.FromIPAddress(Frr21))));
        _bed.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.False(_bed.Read(r => r.Contains(100, VtepAddress.FromIPAddress(Frr21))));
    }

    private static BgpPeerId Reflector(ScriptedBgpPeer peer) => new(peer.EndPoint);

    private static BgpUpdateMessage Imet(IPAddress vtep, uint vni) =>
        BgpMessages.AnnounceInclusiveMulticast(new EvpnInclusiveMulticastRoute(0x0001_0000_0000_0000UL | (ulong)BgpSettings.ToRouterId(vtep) << 16 | 2, 0, vtep),
            vtep, vni, vtep, [BgpExtendedCommunities.RouteTarget(65000, vni)]);

    /// <summary>Opens the session; returns the UPDATEs the reflector received before End-of-RIB.</summary>
    private async Task<List<BgpUpdateMessage>> EstablishAsync()
    {
        _running = Task.Run(() => _session.RunAsync(_stop.Token));
        await _peer.AcceptAsync();
        await _peer.OpenAsync();
        var updates = new List<BgpUpdateMessage>();
        while (await _peer.ExpectAsync<BgpUpdateMessage>() is { IsEvpnEndOfRib: false } update) updates.Add(update);
        await WaitFor(() => _session.State == BgpSessionState.Established);
        return updates;
    }

    private static async Task WaitFor(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + ScriptedBgpPeer.Deadline;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met within the deadline");
            await Task.Delay(10);
        }
    }
}
