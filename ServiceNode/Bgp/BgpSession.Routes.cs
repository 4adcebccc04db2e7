using System.Net;
using Replicator.Protocol.Bgp;

namespace Replicator.ServiceNode.Bgp;

internal sealed partial class BgpSession
{
    // The type-3 routes passed on to the listeners, by key; touched only by the loop.
    private readonly Dictionary<EvpnMulticastRouteKey, EvpnMulticastRoute> _received = [];

    /// <summary>
    /// Applies one UPDATE: withdrawals first, then announcements. A treat-as-withdraw error (RFC
    /// 7606) turns the announcements into withdrawals. Not passed on: routes reflected back to us
    /// (ORIGINATOR_ID = our router id, RFC 4456) and routes whose originating router is a VTEP we
    /// announce ourselves (another service node of the cluster announcing the same registration);
    /// routes over <c>MaxRoutesPerPeer</c>. Type-2 routes are counted.
    /// </summary>
    private void ReceiveUpdate(ConnectionContext context, BgpUpdateMessage update)
    {
        bool withdrawAll = update.AttributeError != BgpDecodeError.None;
        if (withdrawAll)
        {
            _metrics.DecodeError(update.AttributeError);
            BgpLog.TreatAsWithdraw(_logger, PeerText, update.AttributeError);
        }
        int macIp = 0;
        foreach (EvpnRoute route in (update.MpUnreach?.Routes ?? []).Concat(withdrawAll ? update.MpReach?.Routes ?? [] : []))
        {
            if (route is EvpnInclusiveMulticastRoute imet) Forget(Key(imet));
            else if (route is EvpnMacIpRoute) macIp++;
        }
        if (!withdrawAll && update.MpReach is { Afi: BgpConstants.AfiL2Vpn, Safi: BgpConstants.SafiEvpn } reach)
        {
            foreach (EvpnRoute route in reach.Routes)
            {
                if (route is EvpnInclusiveMulticastRoute imet) Learn(context, update, reach, imet);
                else if (route is EvpnMacIpRoute) macIp++;
            }
        }
        if (macIp > 0)
        {
            Interlocked.Add(ref _macIpRoutesSeen, macIp);
            _metrics.MacIpRoutes(this, macIp);
        }
        if (update.IsEvpnEndOfRib) Notify(l => l.OnEndOfRib(Peer));
    }

    private void Learn(ConnectionContext context, BgpUpdateMessage update, MpReachNlri reach, EvpnInclusiveMulticastRoute imet)
    {
        EvpnMulticastRouteKey key = Key(imet);
        string? drop = null;
        if (update.OriginatorId == _settings.RouterId || _exports.Exports(key)) drop = "own";
        else if (update.PmsiTunnel is not { TunnelType: PmsiTunnel.IngressReplication, TunnelEndpoint: not null } || reach.NextHop is null) drop = "no_pmsi";
        else if (!_received.ContainsKey(key) && _received.Count >= _settings.MaxRoutesPerPeer)
        {
            drop = "limit";
            if (!context.LimitLogged) BgpLog.RouteLimit(_logger, PeerText, _settings.MaxRoutesPerPeer);
            context.LimitLogged = true;
        }
        if (drop is not null)
        {
            _metrics.RoutesDropped(drop);
            // A replacement we no longer take withdraws what we took before.
            Forget(key);
            return;
        }
        var route = new EvpnMulticastRoute(key, update.PmsiTunnel!.Label, update.PmsiTunnel.TunnelEndpoint!, reach.NextHop!,
            [.. (update.ExtendedCommunities ?? []).Where(BgpExtendedCommunities.IsRouteTarget)]);
        if (_received.TryGetValue(key, out var old) && RouteEquality.Same(old, route)) return;
        _received[key] = route;
        _routesReceived = _received.Count;
        Notify(l => l.OnMulticastRoute(Peer, route));
    }

    private void Forget(EvpnMulticastRouteKey key)
    {
        if (!_received.Remove(key)) return;
        _routesReceived = _received.Count;
        Notify(l => l.OnMulticastRouteWithdrawn(Peer, key));
    }

    /// <summary>The session left Established: its routes are stale; the listener applies its grace time.</summary>
    private void LoseRoutes()
    {
        _received.Clear();
        _routesReceived = 0;
        Notify(l => l.OnSessionLost(Peer));
    }

    private static EvpnMulticastRouteKey Key(EvpnInclusiveMulticastRoute route) =>
        new(route.RouteDistinguisher, route.EthernetTag, route.OriginatingRouter);

    /// <summary>Calls every listener; one that throws is logged and does not stop the session or the others.</summary>
    private void Notify(Action<IBgpRouteListener> call)
    {
        foreach (IBgpRouteListener listener in _listeners)
        {
            try
            {
                call(listener);
            }
            catch (Exception e)
            {
                BgpLog.ListenerFailed(_logger, e, PeerText);
            }
        }
    }
}
