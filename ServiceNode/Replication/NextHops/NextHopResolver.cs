using System.Net;
using Replicator.Linux.Links;
using Replicator.Linux.Native;
using Replicator.Linux.Neighbours;
using Replicator.Linux.Routes;

namespace Replicator.ServiceNode.Replication.NextHops;

/// <summary>
/// The decisions of next-hop tracking, apart from the netlink effects (<see cref="NextHopTracker"/> feeds it):
/// the kernel's links and neighbours as last reported, each destination's last route lookup, and the rule that
/// turns the three into a <see cref="NextHop"/>. Single-threaded (the tracker's thread).
/// </summary>
internal sealed class NextHopResolver
{
    private readonly Dictionary<int, LinkInfo> _links = [];
    private readonly Dictionary<(int IfIndex, IPAddress Address), Neighbour> _neighbours = [];
    private readonly Dictionary<IPAddress, RouteLookup> _routes = [];

    /// <summary>Destinations whose route is known (looked up at least once).</summary>
    public int RouteCount => _routes.Count;

    public int NeighbourCount => _neighbours.Count;

    public void ResetLinks(IEnumerable<LinkInfo> links)
    {
        _links.Clear();
        foreach (var link in links)
        {
            _links[link.Index] = link;
        }
    }

    public void SetLink(LinkInfo link) => _links[link.Index] = link;

    public void RemoveLink(int index) => _links.Remove(index);

    public void ResetNeighbours(IEnumerable<Neighbour> neighbours)
    {
        _neighbours.Clear();
        foreach (var neighbour in neighbours)
        {
            _neighbours[(neighbour.IfIndex, neighbour.Address)] = neighbour;
        }
    }

    public void SetNeighbour(Neighbour neighbour) => _neighbours[(neighbour.IfIndex, neighbour.Address)] = neighbour;

    public void RemoveNeighbour(Neighbour neighbour) => _neighbours.Remove((neighbour.IfIndex, neighbour.Address));

    public void SetRoute(IPAddress destination, RouteLookup lookup) => _routes[destination] = lookup;

    /// <summary>Forgets the routes of destinations no longer followed.</summary>
    public void RetainRoutes(IReadOnlySet<IPAddress> destinations)
    {
        foreach (var destination in _routes.Keys.Where(d => !destinations.Contains(d)).ToList())
        {
            _routes.Remove(destination);
        }
    }

    /// <summary>
    /// The next hop of <paramref name="destination"/> from what is known now: the route must be a unicast one
    /// out of an Ethernet link that is up, and the neighbour it names (the gateway, or the destination itself on
    /// a connected route) must hold a MAC in a valid state; otherwise the state says what is missing.
    /// </summary>
    public NextHop Resolve(IPAddress destination)
    {
        if (!_routes.TryGetValue(destination, out var lookup))
        {
            return Unresolved(destination, NextHopState.Pending);
        }
        if (!lookup.Found)
        {
            // A refusal (no route, unreachable, prohibit, blackhole) is an answer; anything else
            // (a timeout) is not, and the destination stays pending until the next lookup.
            return Unresolved(destination, IsNoRouteAnswer(lookup.Status.Errno) ? NextHopState.NoRoute : NextHopState.Pending);
        }
        var route = lookup.Route!;
        if (route.Type != RouteType.Unicast || route.OutputInterface <= 0)
        {
            return Unresolved(destination, NextHopState.NoRoute) with { InterfaceIndex = route.OutputInterface, Gateway = route.Gateway };
        }
        if (!_links.TryGetValue(route.OutputInterface, out var link))
        {
            // The route names a link the link watcher has not reported yet: its notification is on the way.
            return Unresolved(destination, NextHopState.Pending) with { InterfaceIndex = route.OutputInterface, Gateway = route.Gateway };
        }
        int mtu = route.Mtu > 0 ? route.Mtu : link.Mtu;
        var partial = new NextHop(destination, NextHopState.Pending, link.Index, 0, 0, mtu, route.Gateway);
        if (!link.IsEthernet || !MacAddresses.TryPack(link.HardwareAddress, out ulong sourceMac))
        {
            return partial with { State = NextHopState.UnsupportedInterface };
        }
        partial = partial with { SourceMac = sourceMac };
        if (!link.IsUp)
        {
            return partial with { State = NextHopState.NoRoute };
        }
        var neighbourAddress = route.Gateway ?? destination;
        if (!_neighbours.TryGetValue((link.Index, neighbourAddress), out var neighbour)
            || !neighbour.IsValid
            || !MacAddresses.TryPack(neighbour.LinkLayerAddress, out ulong destinationMac))
        {
            return partial with { State = NextHopState.NoNeighbour };
        }
        return partial with { State = NextHopState.Usable, DestinationMac = destinationMac };
    }

    /// <summary>The errnos of a lookup the kernel refused because of its routing, not of the request.</summary>
    public static bool IsNoRouteAnswer(Errno errno) =>
        errno is Errno.ENETUNREACH or Errno.EHOSTUNREACH or Errno.EACCES or Errno.EINVAL or Errno.EPERM;

    private static NextHop Unresolved(IPAddress destination, NextHopState state) => new(destination, state, 0, 0, 0, 0, null);
}
