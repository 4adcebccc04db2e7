using Replicator.Protocol.Bgp;

namespace Replicator.ServiceNode.Bgp;

internal sealed partial class BgpSession
{
    /// <summary>RFC 6608 subcodes of the FSM error: an unexpected message in OpenSent, OpenConfirm, Established.</summary>
    private static byte FsmSubcode(BgpSessionState state) => state switch
    {
        BgpSessionState.OpenSent => 1,
        BgpSessionState.OpenConfirm => 2,
        BgpSessionState.Established => 3,
        _ => 0,
    };

    /// <summary>Handles one event; returns why the connection is to close, or null to go on.</summary>
    private async Task<string?> HandleAsync(ConnectionContext context, BgpSessionEvent e, CancellationToken ct)
    {
        switch (e)
        {
            case BgpSessionEvent.ConnectionLost lost:
                return lost.Reason;
            case BgpSessionEvent.HoldTimerExpired:
                await SendNotificationAsync(context, BgpErrorCode.HoldTimerExpired, 0, [], ct);
                return "hold timer expired";
            case BgpSessionEvent.KeepaliveTimerExpired:
                if (State >= BgpSessionState.OpenConfirm) await SendAsync(context, BgpKeepaliveMessage.Instance, ct);
                return null;
            case BgpSessionEvent.HeaderRejected rejected:
            {
                _metrics.DecodeError(rejected.Error);
                byte[] data = rejected.Error switch
                {
                    BgpDecodeError.BadMessageLength => [(byte)(rejected.Length >> 8), (byte)rejected.Length],
                    BgpDecodeError.BadMessageType => [rejected.Type],
                    _ => [],
                };
                return await RejectAsync(context, rejected.Error, data, ct);
            }
            case BgpSessionEvent.ExportChanged:
                if (State == BgpSessionState.Established) await SendExportChangesAsync(context, ct);
                return null;
            case BgpSessionEvent.MessageRead read:
                return await HandleMessageAsync(context, read.Message, ct);
            default:
                return null;
        }
    }

    private async Task<string?> HandleMessageAsync(ConnectionContext context, byte[] bytes, CancellationToken ct)
    {
        BgpDecodeResult result = BgpCodec.Decode(bytes, context.FourOctetAs);
        if (result.Message is not { } message)
        {
            _metrics.DecodeError(result.Error);
            byte[] data = result.Error == BgpDecodeError.UnsupportedVersion ? [0, BgpConstants.Version] : [];
            return await RejectAsync(context, result.Error, data, ct);
        }
        if (message is BgpNotificationMessage notification)
        {
            _metrics.Notification(sent: false, notification.Code);
            return $"NOTIFICATION received: {notification}";
        }
        switch (State, message)
        {
            case (BgpSessionState.OpenSent, BgpOpenMessage open):
                return await HandleOpenAsync(context, open, ct);
            case (BgpSessionState.OpenConfirm, BgpKeepaliveMessage):
                RestartHoldTimer(context);
                await EstablishAsync(context, ct);
                return null;
            case (BgpSessionState.Established, BgpKeepaliveMessage):
                RestartHoldTimer(context);
                return null;
            case (BgpSessionState.Established, BgpUpdateMessage update):
                RestartHoldTimer(context);
                Interlocked.Increment(ref _updatesReceived);
                _metrics.UpdateReceived(this);
                ReceiveUpdate(context, update);
                return null;
            case (BgpSessionState.Established, BgpRouteRefreshMessage refresh):
                // Subtype 0 asks; 1 and 2 (RFC 7313 markers) only frame the peer's own re-advertisement.
                if (refresh is { Afi: BgpConstants.AfiL2Vpn, Safi: BgpConstants.SafiEvpn, Subtype: 0 }) await SendAllAsync(context, _exports.Snapshot(), ct);
                return null;
            default:
                await SendNotificationAsync(context, BgpErrorCode.FiniteStateMachineError, FsmSubcode(State), [], ct);
                return $"unexpected {message.Type} in state {State}";
        }
    }

    /// <summary>Sends the NOTIFICATION a decode error calls for and names the reason to close.</summary>
    private async Task<string> RejectAsync(ConnectionContext context, BgpDecodeError error, byte[] data, CancellationToken ct)
    {
        (BgpErrorCode code, byte subcode) = error.ToNotification();
        await SendNotificationAsync(context, code, subcode, data, ct);
        return $"NOTIFICATION sent: {new BgpNotificationMessage(code, subcode, data)}";
    }

    /// <summary>
    /// Checks the peer's OPEN against ours (RFC 4271 §6.2: iBGP, so its AS must be ours; its
    /// identifier must differ from ours; it must speak L2VPN/EVPN), negotiates the hold time
    /// (the smaller; keepalives every third of it) and confirms with a KEEPALIVE.
    /// </summary>
    private async Task<string?> HandleOpenAsync(ConnectionContext context, BgpOpenMessage open, CancellationToken ct)
    {
        BgpDecodeError error = BgpDecodeError.None;
        byte[] data = [];
        if (open.AutonomousSystem != _settings.LocalAs) error = BgpDecodeError.BadPeerAs;
        else if (open.BgpIdentifier == _settings.RouterId) error = BgpDecodeError.BadBgpIdentifier;
        if (error != BgpDecodeError.None) return await RejectAsync(context, error, data, ct);
        if (!open.SupportsFamily(BgpConstants.AfiL2Vpn, BgpConstants.SafiEvpn))
        {
            // RFC 5492 §3: Unsupported Capability, with the capability we needed as data.
            await SendNotificationAsync(context, BgpErrorCode.OpenMessageError, (byte)BgpOpenErrorSubcode.UnsupportedCapability, [1, 4, 0, 25, 0, 70], ct);
            return "the peer does not announce L2VPN/EVPN (AFI 25, SAFI 70)";
        }
        context.FourOctetAs = open.SupportsFourOctetAs;
        context.PeerRouterId = open.BgpIdentifier;
        ushort hold = Math.Min(open.HoldTime, _settings.HoldTimeSeconds);
        context.HoldTime = TimeSpan.FromSeconds(hold);
        await SendAsync(context, BgpKeepaliveMessage.Instance, ct);
        // Timers before the state: whoever sees OpenConfirm sees them running.
        RestartHoldTimer(context);
        if (hold > 0)
        {
            TimeSpan keepalive = TimeSpan.FromSeconds(hold / 3.0);
            context.KeepaliveTimer!.Change(keepalive, keepalive);
        }
        SetState(BgpSessionState.OpenConfirm);
        return null;
    }

    /// <summary>RFC 4271 §4.4: with a hold time of 0, no hold timer runs.</summary>
    private static void RestartHoldTimer(ConnectionContext context) =>
        context.HoldTimer!.Change(context.HoldTime == TimeSpan.Zero ? Timeout.InfiniteTimeSpan : context.HoldTime, Timeout.InfiniteTimeSpan);

    /// <summary>Established: the whole exported set, then End-of-RIB, then only changes (the subscription).</summary>
    private async Task EstablishAsync(ConnectionContext context, CancellationToken ct)
    {
        SetState(BgpSessionState.Established);
        Interlocked.Exchange(ref _establishedAtTicks, _time.GetUtcNow().UtcTicks);
        _lastError = null;
        BgpLog.Established(_logger, PeerText, (int)context.HoldTime.TotalSeconds, BgpSettings.RouterIdText(context.PeerRouterId));
        Notify(l => l.OnSessionEstablished(Peer));
        IReadOnlyList<EvpnMulticastRoute> routes = _exports.Subscribe(context.ExportQueue);
        await SendAllAsync(context, routes, ct);
        await SendAsync(context, BgpMessages.EvpnEndOfRib, ct);
    }

    private async Task SendAllAsync(ConnectionContext context, IReadOnlyList<EvpnMulticastRoute> routes, CancellationToken ct)
    {
        foreach (EvpnMulticastRoute route in routes) await AnnounceAsync(context, route, ct);
    }

    private async Task AnnounceAsync(ConnectionContext context, EvpnMulticastRoute route, CancellationToken ct)
    {
        await SendAsync(context, ToUpdate(route), ct);
        int before = context.Advertised.Count;
        context.Advertised[route.Key] = route;
        if (context.Advertised.Count > before) Interlocked.Increment(ref _routesAdvertised);
    }

    private async Task WithdrawAsync(ConnectionContext context, EvpnMulticastRouteKey key, CancellationToken ct)
    {
        await SendAsync(context, BgpMessages.Withdraw([ToNlri(key)]), ct);
        if (context.Advertised.Remove(key)) Interlocked.Decrement(ref _routesAdvertised);
    }

    private static EvpnInclusiveMulticastRoute ToNlri(EvpnMulticastRouteKey key) => new(key.RouteDistinguisher, key.EthernetTag, key.OriginatingRouter);

    /// <summary>The UPDATE FRR would send for this route (RFC 8365 §5.1.3): PMSI ingress replication, VXLAN encapsulation, route targets.</summary>
    internal static BgpUpdateMessage ToUpdate(EvpnMulticastRoute route) =>
        BgpMessages.AnnounceInclusiveMulticast(ToNlri(route.Key), route.NextHop, route.Vni, route.TunnelEndpoint, route.RouteTargets);
}
