using System.Net;

namespace Replicator.ServiceNode.Bgp;

/// <summary>
/// The key of an EVPN type-3 (inclusive multicast Ethernet tag) route, as its NLRI carries it
/// (RFC 7432 §7.3): two routes with the same key replace each other.
/// </summary>
/// <param name="RouteDistinguisher">The 8 RD bytes as on the wire (type, then value), packed big-endian.</param>
/// <param name="EthernetTag">0 for VLAN-based service (what FRR sends).</param>
/// <param name="OriginatingRouter">The originating router's IP address: the VTEP.</param>
internal readonly record struct EvpnMulticastRouteKey(ulong RouteDistinguisher, uint EthernetTag, IPAddress OriginatingRouter);

/// <summary>
/// One EVPN type-3 route in the terms the registry needs: which VTEP floods which VNI, and the
/// attributes that make an EVPN VTEP accept it (RFC 8365: PMSI ingress replication with the VNI
/// as label, the VXLAN encapsulation community, route targets).
/// </summary>
/// <param name="Key">The NLRI.</param>
/// <param name="Vni">The PMSI tunnel attribute's label (the VNI, unshifted, as RFC 8365 and FRR use it).</param>
/// <param name="TunnelEndpoint">The PMSI tunnel identifier: the address copies go to.</param>
/// <param name="NextHop">The MP_REACH next hop (the VTEP for routes we export).</param>
/// <param name="RouteTargets">Route-target extended communities, 8 wire bytes each packed big-endian.</param>
internal sealed record EvpnMulticastRoute(
    EvpnMulticastRouteKey Key,
    uint Vni,
    IPAddress TunnelEndpoint,
    IPAddress NextHop,
    IReadOnlyList<ulong> RouteTargets);
