namespace Replicator.ServiceNode.Bgp;

/// <summary>One change of the exported set on its way to a peer: <paramref name="Route"/> announced, or (null) <paramref name="Key"/> withdrawn.</summary>
internal readonly record struct BgpExportChange(EvpnMulticastRouteKey Key, EvpnMulticastRoute? Route)
{
    public static BgpExportChange Announced(EvpnMulticastRoute route) => new(route.Key, route);

    public static BgpExportChange Withdrawn(EvpnMulticastRouteKey key) => new(key, null);
}
