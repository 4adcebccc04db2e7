using System.Net;
using System.Threading.Channels;

namespace Replicator.ServiceNode.Bgp;

/// <summary>
/// The routes we announce, and the established sessions to tell about changes. A session
/// subscribes and takes the whole set in one step under the lock, so every change after its
/// snapshot reaches it as an event, in the order the changes were made.
/// </summary>
internal sealed class BgpExportTable
{
    private readonly Lock _lock = new();
    private readonly Dictionary<EvpnMulticastRouteKey, EvpnMulticastRoute> _routes = [];
    // Originating routers of the exported routes, with how many routes name each: a received route from one of them is ours.
    private readonly Dictionary<IPAddress, int> _originators = [];
    private readonly List<ChannelWriter<BgpSessionEvent>> _subscribers = [];

    public int Count
    {
        get { lock (_lock) return _routes.Count; }
    }

    public void Announce(EvpnMulticastRoute route)
    {
        ArgumentNullException.ThrowIfNull(route);
        lock (_lock)
        {
            if (_routes.TryGetValue(route.Key, out var old))
            {
                if (RouteEquality.Same(old, route)) return;
            }
            else _originators[route.Key.OriginatingRouter] = _originators.GetValueOrDefault(route.Key.OriginatingRouter) + 1;
            _routes[route.Key] = route;
            var change = new BgpSessionEvent.RouteAnnounced(route);
            foreach (var subscriber in _subscribers) subscriber.TryWrite(change);
        }
    }

    public void Withdraw(EvpnMulticastRouteKey key)
    {
        lock (_lock)
        {
            if (!_routes.Remove(key)) return;
            if (--_originators[key.OriginatingRouter] == 0) _originators.Remove(key.OriginatingRouter);
            var change = new BgpSessionEvent.RouteWithdrawn(key);
            foreach (var subscriber in _subscribers) subscriber.TryWrite(change);
        }
    }

    /// <summary>Starts sending changes to <paramref name="subscriber"/> and returns the set as it is now.</summary>
    public IReadOnlyList<EvpnMulticastRoute> Subscribe(ChannelWriter<BgpSessionEvent> subscriber)
    {
        lock (_lock)
        {
            _subscribers.Add(subscriber);
            return [.. _routes.Values];
        }
    }

    public void Unsubscribe(ChannelWriter<BgpSessionEvent> subscriber)
    {
        lock (_lock) _subscribers.Remove(subscriber);
    }

    public IReadOnlyList<EvpnMulticastRoute> Snapshot()
    {
        lock (_lock) return [.. _routes.Values];
    }

    /// <summary>Whether <paramref name="router"/> originates a route we export (a VTEP we announce for).</summary>
    public bool IsOwnOriginator(IPAddress router)
    {
        lock (_lock) return _originators.ContainsKey(router);
    }
}
