namespace Replicator.ServiceNode.Bgp;

/// <summary>
/// The routes we announce, and the established sessions to tell about changes. A session
/// subscribes and takes the whole set in one step under the lock, so every change after its
/// snapshot reaches its <see cref="BgpExportQueue"/>, in the order the changes were made (or, when the
/// queue overflowed, the set taken again by <see cref="Resubscribe"/>).
/// </summary>
internal sealed class BgpExportTable
{
    private readonly Lock _lock = new();
    private readonly Dictionary<EvpnMulticastRouteKey, EvpnMulticastRoute> _routes = [];
    private readonly List<BgpExportQueue> _subscribers = [];

    public int Count
    {
        get { lock (_lock) return _routes.Count; }
    }

    public void Announce(EvpnMulticastRoute route)
    {
        ArgumentNullException.ThrowIfNull(route);
        lock (_lock)
        {
            if (_routes.TryGetValue(route.Key, out var old) && RouteEquality.Same(old, route)) return;
            _routes[route.Key] = route;
            var change = BgpExportChange.Announced(route);
            foreach (var subscriber in _subscribers) subscriber.Offer(change);
        }
    }

    public void Withdraw(EvpnMulticastRouteKey key)
    {
        lock (_lock)
        {
            if (!_routes.Remove(key)) return;
            var change = BgpExportChange.Withdrawn(key);
            foreach (var subscriber in _subscribers) subscriber.Offer(change);
        }
    }

    /// <summary>Starts sending changes to <paramref name="subscriber"/> and returns the set as it is now.</summary>
    public IReadOnlyList<EvpnMulticastRoute> Subscribe(BgpExportQueue subscriber)
    {
        lock (_lock)
        {
            _subscribers.Add(subscriber);
            return [.. _routes.Values];
        }
    }

    /// <summary>After <paramref name="subscriber"/> overflowed: queues changes to it again and returns the set as it is now.</summary>
    public IReadOnlyList<EvpnMulticastRoute> Resubscribe(BgpExportQueue subscriber)
    {
        lock (_lock)
        {
            subscriber.Rearm();
            return [.. _routes.Values];
        }
    }

    public void Unsubscribe(BgpExportQueue subscriber)
    {
        lock (_lock) _subscribers.Remove(subscriber);
    }

    public IReadOnlyList<EvpnMulticastRoute> Snapshot()
    {
        lock (_lock) return [.. _routes.Values];
    }

    /// <summary>
    /// Whether we export a route with this NLRI: a received copy of it (another cluster node's
    /// identical route, or ours reflected back) is ours. Only the exact NLRI counts: an EVPN
    /// VTEP's own route for the same address (its RD differs) is the fabric's, and must be
    /// taken, or a host moving from vxrd to FRR would be lost when our route for it goes.
    /// </summary>
    public bool Exports(EvpnMulticastRouteKey key)
    {
        lock (_lock) return _routes.ContainsKey(key);
    }
}
