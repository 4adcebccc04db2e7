using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Replicator.Protocol.Bgp;
using Replicator.ServiceNode.Bgp;

namespace Replicator.ServiceNode.Tests.Bgp;

/// <summary>
/// The session state machine against a scripted peer over real TCP on 127.0.0.1, with the clock
/// (hold, keepalive, back-off) driven by a <see cref="FakeTimeProvider"/>: nothing here depends
/// on how fast the machine is.
/// </summary>
public sealed class BgpSessionTests : IAsyncDisposable
{
    private const uint LocalAs = 65000;
    private static readonly uint RouterId = BgpSettings.ToRouterId(IPAddress.Parse("192.0.2.10"));
    private static readonly IPAddress Vtep13 = IPAddress.Parse("192.0.2.13");

    private readonly ScriptedBgpPeer _peer = new();
    private readonly FakeTimeProvider _time = new();
    private readonly BgpExportTable _exports = new();
    private readonly RecordingRouteListener _listener = new();
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly CancellationTokenSource _stop = new();
    private readonly BgpSession _session;
    private Task? _running;

    public BgpSessionTests()
    {
        var settings = new BgpSettings(LocalAs, RouterId, [new BgpPeerId(_peer.EndPoint)], 90, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(8),
            null, null, MaxRoutesPerPeer: 3);
        _session = new BgpSession(settings.Peers[0], settings, _exports, [_listener],
            new BgpMetrics(_services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>()), _time, NullLogger.Instance, new Random(1));
    }

    [Fact]
    public async Task Open_ValidPeer_EstablishedWithOurOpenAndNegotiatedKeepalive()
    {
        await StartAndAcceptAsync();
        BgpOpenMessage open = await _peer.OpenAsync();
        Assert.Equal((LocalAs, (ushort)90, RouterId), (open.AutonomousSystem, open.HoldTime, open.BgpIdentifier));
        Assert.True(open.SupportsFamily(BgpConstants.AfiL2Vpn, BgpConstants.SafiEvpn));
        Assert.True(open.SupportsRouteRefresh);
        Assert.True(open.SupportsFourOctetAs);
        Assert.True((await _peer.ExpectAsync<BgpUpdateMessage>()).IsEvpnEndOfRib);
        await WaitForStateAsync(BgpSessionState.Established);
        await _listener.WaitForAsync("established");

        // The peer offered 30 s: the smaller hold time wins, keepalives every 10 s.
        _time.Advance(TimeSpan.FromSeconds(10));
        Assert.IsType<BgpKeepaliveMessage>(await _peer.ReadAsync());
    }

    [Fact]
    public async Task HoldTimer_PeerSilent_NotificationHoldTimerExpired()
    {
        await EstablishAsync();
        _time.Advance(TimeSpan.FromSeconds(30));
        var notification = await _peer.ExpectAsync<BgpNotificationMessage>();
        Assert.Equal(BgpErrorCode.HoldTimerExpired, notification.Code);
        Assert.True(await _peer.ClosedAsync());
        await _listener.WaitForAsync("lost");
        Assert.Equal("hold timer expired", _session.LastError);
    }

    [Theory]
    [InlineData("04 fdea 001e c0000201 00", 2, 2)]
    [InlineData("04 fde8 001e c000020a 00", 2, 3)]
    [InlineData("04 fde8 0002 c0000201 00", 2, 6)]
    [InlineData("03 fde8 001e c0000201 00", 2, 1)]
    [InlineData("04 fde8 001e c0000201 08 02 06 01 04 0001 00 01", 2, 7)]
    public async Task Open_BadOpen_RightNotificationAndClose(string body, int code, int subcode)
    {
        await StartAndAcceptAsync();
        await _peer.ExpectAsync<BgpOpenMessage>();
        byte[] bodyBytes = Convert.FromHexString(body.Replace(" ", "", StringComparison.Ordinal));
        byte[] message = [.. Enumerable.Repeat((byte)0xff, 16), 0, (byte)(19 + bodyBytes.Length), (byte)BgpMessageType.Open, .. bodyBytes];
        await _peer.SendRawAsync(message);
        var notification = await _peer.ExpectAsync<BgpNotificationMessage>();
        Assert.Equal(((BgpErrorCode)code, (byte)subcode), (notification.Code, notification.Subcode));
        if (code == 2 && subcode == 1) Assert.Equal([0, 4], notification.Data);
        Assert.True(await _peer.ClosedAsync());
        await WaitForStateAsync(BgpSessionState.Active);
    }

    [Fact]
    public async Task Update_Malformed_NotificationUpdateError()
    {
        await EstablishAsync();
        // MP_REACH with a type-3 route 16 octets long: one short of its IPv4 originating router.
        await _peer.SendRawAsync(Convert.FromHexString("ffffffffffffffffffffffffffffffff0035020000001e800e1b00194604c000020b0003100001c000020b00020000000020c00002"));
        var notification = await _peer.ExpectAsync<BgpNotificationMessage>();
        Assert.Equal(BgpErrorCode.UpdateMessageError, notification.Code);
        Assert.True(await _peer.ClosedAsync());
    }

    [Fact]
    public async Task Reconnect_AfterLoss_BackoffDoublesWithJitter()
    {
        await EstablishAsync();
        _peer.CloseConnection();
        await WaitForStateAsync(BgpSessionState.Active);
        // First wait after an established session: 0.75-1 s of ConnectRetry (1 s). The clock has not moved: no attempt.
        Assert.False(await _peer.TryAcceptAsync(TimeSpan.FromMilliseconds(300)));
        _time.Advance(TimeSpan.FromSeconds(1));
        await _peer.AcceptAsync();
        await _peer.ExpectAsync<BgpOpenMessage>();
        _peer.CloseConnection();
        await WaitForStateAsync(BgpSessionState.Active);
        // Second failure in a row: 1.5-2 s.
        _time.Advance(TimeSpan.FromSeconds(1.4));
        Assert.False(await _peer.TryAcceptAsync(TimeSpan.FromMilliseconds(300)));
        _time.Advance(TimeSpan.FromSeconds(0.6));
        await _peer.AcceptAsync();
        await _peer.ExpectAsync<BgpOpenMessage>();
    }

    [Fact]
    public async Task Backoff_Bounds_DoublesToMaxAndResets()
    {
        var backoff = new BgpBackoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5), new Random(7));
        double[] waits = [.. Enumerable.Range(0, 6).Select(_ => backoff.Next().TotalSeconds)];
        double[] bounds = [1, 2, 4, 5, 5, 5];
        for (int i = 0; i < waits.Length; i++) Assert.InRange(waits[i], 0.75 * bounds[i], bounds[i]);
        backoff.Reset();
        Assert.InRange(backoff.Next().TotalSeconds, 0.75, 1);
        await Task.CompletedTask;
    }

    [Fact]
    public async Task Export_SetThenChanges_SentWholeThenEndOfRibThenChangesAndRefreshResends()
    {
        _exports.Announce(Route(Vtep13, 100));
        await StartAndAcceptAsync();
        await _peer.OpenAsync();
        var first = await _peer.ExpectAsync<BgpUpdateMessage>();
        Assert.Equal(new EvpnInclusiveMulticastRoute(Rd(Vtep13), 0, Vtep13), Assert.Single(first.MpReach!.Routes));
        Assert.Equal(new PmsiTunnel(0, PmsiTunnel.IngressReplication, 100, Vtep13), first.PmsiTunnel);
        Assert.Contains(BgpExtendedCommunities.VxlanEncapsulation, first.ExtendedCommunities!);
        Assert.True((await _peer.ExpectAsync<BgpUpdateMessage>()).IsEvpnEndOfRib);
        await WaitForStateAsync(BgpSessionState.Established);

        IPAddress vtep14 = IPAddress.Parse("192.0.2.14");
        _exports.Announce(Route(vtep14, 200));
        Assert.Equal(vtep14, ((EvpnInclusiveMulticastRoute)(await _peer.ExpectAsync<BgpUpdateMessage>()).MpReach!.Routes[0]).OriginatingRouter);
        _exports.Withdraw(Route(Vtep13, 100).Key);
        Assert.Equal(Vtep13, ((EvpnInclusiveMulticastRoute)(await _peer.ExpectAsync<BgpUpdateMessage>()).MpUnreach!.Routes[0]).OriginatingRouter);
        // The session counts a withdrawal after its write returns, which may be after the peer read it.
        for (var deadline = DateTime.UtcNow.AddSeconds(10); _session.RoutesAdvertised != 1 && DateTime.UtcNow < deadline;) await Task.Delay(10);
        Assert.Equal(1, _session.RoutesAdvertised);

        await _peer.SendAsync(BgpMessages.EvpnRouteRefresh);
        Assert.Equal(vtep14, ((EvpnInclusiveMulticastRoute)(await _peer.ExpectAsync<BgpUpdateMessage>()).MpReach!.Routes[0]).OriginatingRouter);
    }

    [Fact]
    public async Task Import_Routes_PassedOnExceptOwnAndOverLimit()
    {
        _exports.Announce(Route(Vtep13, 100));
        await EstablishAsync();

        await _peer.SendAsync(Imet(IPAddress.Parse("192.0.2.11"), 100));
        await _listener.WaitForAsync("route 192.0.2.11 vni 100");
        // Reflected back to us (ORIGINATOR_ID = our router id), and one for a VTEP we announce: both dropped.
        await _peer.SendAsync(Imet(IPAddress.Parse("192.0.2.12"), 100) with { OriginatorId = RouterId, ClusterList = [0xc0000201] });
        await _peer.SendAsync(Imet(Vtep13, 100));
        // The limit is 3: .11, .21, .22 are kept, .23 is not.
        foreach (int host in new[] { 21, 22, 23 }) await _peer.SendAsync(Imet(IPAddress.Parse($"192.0.2.{host}"), 300));
        await _peer.SendAsync(BgpMessages.Withdraw([new EvpnInclusiveMulticastRoute(Rd(IPAddress.Parse("192.0.2.11")), 0, IPAddress.Parse("192.0.2.11"))]));
        await _listener.WaitForAsync("withdrawn 192.0.2.11");
        await _peer.SendAsync(BgpMessages.EvpnEndOfRib);
        await _listener.WaitForAsync("eor");
        Assert.Equal(["established", "route 192.0.2.11 vni 100", "route 192.0.2.21 vni 300", "route 192.0.2.22 vni 300", "withdrawn 192.0.2.11", "eor"],
            _listener.Events);
        Assert.Equal(2, _session.RoutesReceived);

        _peer.CloseConnection();
        await _listener.WaitForAsync("lost");
        Assert.Equal(0, _session.RoutesReceived);
    }

    [Fact]
    public async Task Import_EvpnVtepRouteForAnAddressWeExport_PassedOn()
    {
        // A host moving from vxrd to FRR: we export its route, and its own FRR route (another RD)
        // arrives. Only our exact NLRI is ours; FRR's must reach the registry, or the host would be
        // lost when vxrd stops and we withdraw ours (the reflector would not send FRR's again).
        _exports.Announce(Route(Vtep13, 100));
        await EstablishAsync();

        ulong frrRd = Rd(Vtep13) + 1;
        await _peer.SendAsync(BgpMessages.AnnounceInclusiveMulticast(new EvpnInclusiveMulticastRoute(frrRd, 0, Vtep13), Vtep13, 100, Vtep13,
            [BgpExtendedCommunities.RouteTarget(65000, 100)]));
        await _listener.WaitForAsync($"route {Vtep13} vni 100");
        Assert.Equal(1, _session.RoutesReceived);
    }

    [Fact]
    public async Task Import_TypeTwoRoute_CountedNotPassedOn()
    {
        await EstablishAsync();
        var macIp = new EvpnMacIpRoute(Rd(IPAddress.Parse("192.0.2.11")), 0, 0, 0x0200_0000_0001, null, 100, null);
        await _peer.SendAsync(new BgpUpdateMessage
        {
            MpReach = new MpReachNlri(BgpConstants.AfiL2Vpn, BgpConstants.SafiEvpn, IPAddress.Parse("192.0.2.11"), [macIp], 0),
            Origin = BgpOrigin.Igp, AsPath = [], LocalPreference = 100,
        });
        await _peer.SendAsync(BgpMessages.EvpnEndOfRib);
        await _listener.WaitForAsync("eor");
        Assert.Equal(1, _session.MacIpRoutesSeen);
        Assert.Equal(0, _session.RoutesReceived);
    }

    [Fact]
    public async Task Stop_Established_CeaseAdministrativeShutdown()
    {
        await EstablishAsync();
        await _stop.CancelAsync();
        var notification = await _peer.ExpectAsync<BgpNotificationMessage>();
        Assert.Equal((BgpErrorCode.Cease, (byte)BgpCeaseSubcode.AdministrativeShutdown), (notification.Code, notification.Subcode));
        await _running!.WaitAsync(ScriptedBgpPeer.Deadline);
        Assert.Equal(BgpSessionState.Idle, _session.State);
    }

    private static ulong Rd(IPAddress vtep) => 0x0001_0000_0000_0000UL | (ulong)BgpSettings.ToRouterId(vtep) << 16 | 2;

    private static EvpnMulticastRoute Route(IPAddress vtep, uint vni) =>
        new(new EvpnMulticastRouteKey(Rd(vtep), 0, vtep), vni, vtep, vtep, [BgpExtendedCommunities.RouteTarget(65000, vni)]);

    private static BgpUpdateMessage Imet(IPAddress vtep, uint vni) =>
        BgpMessages.AnnounceInclusiveMulticast(new EvpnInclusiveMulticastRoute(Rd(vtep), 0, vtep), vtep, vni, vtep, [BgpExtendedCommunities.RouteTarget(65000, vni)]);

    private async Task StartAndAcceptAsync()
    {
        _running = Task.Run(() => _session.RunAsync(_stop.Token));
        await _peer.AcceptAsync();
    }

    private async Task EstablishAsync()
    {
        await StartAndAcceptAsync();
        await _peer.OpenAsync();
        while (!(await _peer.ExpectAsync<BgpUpdateMessage>()).IsEvpnEndOfRib)
        {
        }
        await WaitForStateAsync(BgpSessionState.Established);
    }

    private async Task WaitForStateAsync(BgpSessionState state)
    {
        DateTime deadline = DateTime.UtcNow + ScriptedBgpPeer.Deadline;
        while (_session.State != state)
        {
            Assert.True(DateTime.UtcNow < deadline, $"state {_session.State}, expected {state}; last error {_session.LastError}");
            await Task.Delay(10);
        }
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
