using System.Net;
using Replicator.ServiceNode.Registry;

namespace Replicator.ServiceNode.Bgp.Evpn;

/// <summary>
/// The routes received from each peer and the registry entries they hold. Runs on the registry loop only (every
/// call is a work item there), so it needs no locks. One entry per (VNI, VTEP) however many routes name it: the
/// same route from two route reflectors, or two routes of one VTEP with different distinguishers, hold it together
/// and it goes when the last one does. Routes of a lost session stay, marked stale, until the peer announces them
/// again (stale cleared), sends End-of-RIB (the stale ones go), or the grace time runs out (they go).
/// </summary>
internal sealed class EvpnImportTable
{
    private readonly Dictionary<BgpPeerId, PeerRoutes> _peers = [];
    private readonly Dictionary<(uint Vni, VtepAddress Address), int> _holders = [];
    private readonly List<EvpnMulticastRouteKey> _scratch = [];
    private readonly EvpnImportFilter _filter;
    private int _routes;

    public EvpnImportTable(EvpnImportFilter filter) => _filter = filter ?? throw new ArgumentNullException(nameof(filter));

    /// <summary>Routes held, stale ones included, over all peers (read by the metrics on any thread).</summary>
    public int RouteCount => Volatile.Read(ref _routes);

    /// <summary>Entries (VNI, VTEP) held by at least one route.</summary>
    public int EntryCount => _holders.Count;

    /// <summary>A route was received: it holds its entry from now on, or is dropped for the returned reason.</summary>
    public EvpnImportDropReason? Accept(Registry.Registry registry, BgpPeerId peer, EvpnMulticastRoute route)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(route);
        var routes = Peer(peer);
        if (route.Vni > RegistryLimits.MaxVni) return Replace(registry, routes, route.Key, null, EvpnImportDropReason.InvalidVni);
        if (!_filter.Admits(route.Vni, route.RouteTargets)) return Replace(registry, routes, route.Key, null, EvpnImportDropReason.Filtered);

        // The PMSI tunnel endpoint is where copies go; the originating router when a peer leaves it unspecified.
        var endpoint = route.TunnelEndpoint.Equals(IPAddress.Any) || route.TunnelEndpoint.Equals(IPAddress.IPv6Any)
            ? route.Key.OriginatingRouter : route.TunnelEndpoint;
        var held = new HeldRoute(route.Vni, VtepAddress.FromIPAddress(endpoint));
        if (routes.Routes.TryGetValue(route.Key, out var existing) && existing.Vni == held.Vni && existing.Address == held.Address)
        {
            routes.Routes[route.Key] = held; // announced again: no longer stale
            return null;
        }
        return Replace(registry, routes, route.Key, held, null);
    }

    /// <summary>A route was withdrawn by <paramref name="peer"/>; nothing happens when it did not hold one.</summary>
    public void Withdraw(Registry.Registry registry, BgpPeerId peer, EvpnMulticastRouteKey key)
    {
        ArgumentNullException.ThrowIfNull(registry);
        if (_peers.TryGetValue(peer, out var routes)) Replace(registry, routes, key, null, null);
    }

    /// <summary>The session went down: every route of <paramref name="peer"/> is stale. Returns the loss's generation for <see cref="RemoveStale"/>.</summary>
    public int MarkStale(BgpPeerId peer)
    {
        var routes = Peer(peer);
        foreach (var key in routes.Routes.Keys) _scratch.Add(key);
        foreach (var key in _scratch) routes.Routes[key] = routes.Routes[key] with { Stale = true };
        _scratch.Clear();
        return ++routes.LossGeneration;
    }

    /// <summary>
    /// Removes the routes of <paramref name="peer"/> still stale: after End-of-RIB (<paramref name="generation"/>
    /// null), or when the grace time of loss <paramref name="generation"/> ran out and no later loss started another.
    /// Returns the number of routes removed.
    /// </summary>
    public int RemoveStale(Registry.Registry registry, BgpPeerId peer, int? generation = null)
    {
        ArgumentNullException.ThrowIfNull(registry);
        if (!_peers.TryGetValue(peer, out var routes)) return 0;
        if (generation is { } g && g != routes.LossGeneration) return 0;
        foreach (var (key, held) in routes.Routes)
        {
            if (held.Stale) _scratch.Add(key);
        }
        int removed = _scratch.Count;
        foreach (var key in _scratch) Replace(registry, routes, key, null, null);
        _scratch.Clear();
        return removed;
    }

    /// <summary>Routes held from <paramref name="peer"/>.</summary>
    public int RouteCountOf(BgpPeerId peer) => _peers.TryGetValue(peer, out var routes) ? routes.Routes.Count : 0;

    /// <summary>Whether <paramref name="peer"/> holds stale routes (a grace time is running).</summary>
    public bool HasStale(BgpPeerId peer) => _peers.TryGetValue(peer, out var routes) && routes.Routes.Values.Any(static r => r.Stale);

    /// <summary>
    /// Sets the route <paramref name="key"/> of a peer to <paramref name="held"/> (null: removes it), moving the hold
    /// from the old entry to the new one. A new entry the registry refuses leaves the route out, with the reason.
    /// </summary>
    private EvpnImportDropReason? Replace(Registry.Registry registry, PeerRoutes routes, EvpnMulticastRouteKey key, HeldRoute? held,
        EvpnImportDropReason? reason)
    {
        if (routes.Routes.Remove(key, out var old))
        {
            Release(registry, old.Vni, old.Address);
            Interlocked.Decrement(ref _routes);
        }
        if (held is not { } route) return reason;
        var entry = (route.Vni, route.Address);
        if (_holders.TryGetValue(entry, out int count))
        {
            _holders[entry] = count + 1;
        }
        else
        {
            var result = registry.AddEvpn(route.Vni, route.Address);
            if (!result.Succeeded) return DropReason(result.Error);
            _holders[entry] = 1;
        }
        routes.Routes[key] = route;
        Interlocked.Increment(ref _routes);
        return null;
    }

    private void Release(Registry.Registry registry, uint vni, VtepAddress address)
    {
        var entry = (vni, address);
        if (!_holders.TryGetValue(entry, out int count)) return;
        if (count > 1)
        {
            _holders[entry] = count - 1;
            return;
        }
        _holders.Remove(entry);
        registry.RemoveEvpn(vni, address);
    }

    private PeerRoutes Peer(BgpPeerId peer)
    {
        if (!_peers.TryGetValue(peer, out var routes)) _peers[peer] = routes = new PeerRoutes();
        return routes;
    }

    private static EvpnImportDropReason DropReason(RegistryError error) => error switch
    {
        RegistryError.InvalidVni => EvpnImportDropReason.InvalidVni,
        RegistryError.TooManyMembers => EvpnImportDropReason.TooManyMembers,
        RegistryError.TooManyEntries => EvpnImportDropReason.TooManyEntries,
        _ => EvpnImportDropReason.Address,
    };

    private readonly record struct HeldRoute(uint Vni, VtepAddress Address, bool Stale = false);

    private sealed class PeerRoutes
    {
        public Dictionary<EvpnMulticastRouteKey, HeldRoute> Routes { get; } = [];

        /// <summary>Counts the session losses, so a grace timer of an earlier loss removes nothing.</summary>
        public int LossGeneration;
    }
}
