using Replicator.ServiceNode.Registry;

namespace Replicator.ServiceNode.Bgp.Evpn;

/// <summary>
/// The type-3 route announced for one registry entry. Everything in it follows from (VNI, VTEP) and the
/// configuration, nothing from the node that builds it: two cluster nodes exporting the same VTEP build
/// identical routes (same NLRI, same attributes), so a route reflector sees one route from two sources, and
/// the loss of one node withdraws nothing the other still announces.
/// </summary>
internal sealed class EvpnRouteBuilder(EvpnValueFormat routeDistinguisher, EvpnValueFormat routeTarget, uint localAs)
{
    public EvpnMulticastRoute Build(uint vni, VtepAddress vtep)
    {
        var address = vtep.ToIPAddress();
        var key = Key(vni, vtep, address);
        return new EvpnMulticastRoute(key, vni, TunnelEndpoint: address, NextHop: address, RouteTargets: [routeTarget.RouteTarget(localAs, vni)]);
    }

    /// <summary>The NLRI of <see cref="Build"/>'s route, for a withdrawal.</summary>
    public EvpnMulticastRouteKey Key(uint vni, VtepAddress vtep) => Key(vni, vtep, vtep.ToIPAddress());

    // Ethernet tag 0: VLAN-based service, one broadcast domain per VNI (RFC 8365 §5.1.2), as FRR sends it.
    private EvpnMulticastRouteKey Key(uint vni, VtepAddress vtep, System.Net.IPAddress address) =>
        new(routeDistinguisher.RouteDistinguisher(localAs, vni, vtep), EthernetTag: 0, OriginatingRouter: address);
}
