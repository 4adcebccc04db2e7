namespace Replicator.ServiceNode.Bgp;

/// <summary>Value equality of routes (the record compares its route-target list by reference).</summary>
internal static class RouteEquality
{
    public static bool Same(EvpnMulticastRoute a, EvpnMulticastRoute b) =>
        a.Key == b.Key && a.Vni == b.Vni && a.TunnelEndpoint.Equals(b.TunnelEndpoint) && a.NextHop.Equals(b.NextHop)
        && a.RouteTargets.SequenceEqual(b.RouteTargets);
}
