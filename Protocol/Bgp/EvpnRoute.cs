using System.Net;

namespace Replicator.Protocol.Bgp;

/// <summary>EVPN NLRI route types (RFC 7432 §7) the codec names; others are skipped and counted.</summary>
public enum EvpnRouteType : byte
{
    EthernetAutoDiscovery = 1,
    MacIpAdvertisement = 2,
    InclusiveMulticastEthernetTag = 3,
    EthernetSegment = 4,
    IpPrefix = 5,
}

/// <summary>An EVPN route (NLRI) the codec decodes: type 2 or type 3.</summary>
/// <param name="RouteDistinguisher">The 8 RD octets (type, then value), big-endian.</param>
/// <param name="EthernetTag">0 for VLAN-based service.</param>
public abstract record EvpnRoute(ulong RouteDistinguisher, uint EthernetTag)
{
    public abstract EvpnRouteType RouteType { get; }
}

/// <summary>Type 3, inclusive multicast Ethernet tag (RFC 7432 §7.3): "flood this segment to me".</summary>
public sealed record EvpnInclusiveMulticastRoute(ulong RouteDistinguisher, uint EthernetTag, IPAddress OriginatingRouter)
    : EvpnRoute(RouteDistinguisher, EthernetTag)
{
    public override EvpnRouteType RouteType => EvpnRouteType.InclusiveMulticastEthernetTag;
}

/// <summary>Type 2, MAC/IP advertisement (RFC 7432 §7.2). Decoded so it can be counted; not used yet.</summary>
/// <param name="EthernetSegmentId">The 10-octet ESI in the low 80 bits.</param>
/// <param name="Mac">The 48-bit MAC in the low bits.</param>
/// <param name="IpAddress">Absent (IP length 0) or an IPv4/IPv6 address.</param>
/// <param name="Label1">MPLS label 1: for VXLAN the VNI (RFC 8365), 24 bits as on the wire.</param>
/// <param name="Label2">MPLS label 2 when present (the L3 VNI), else null.</param>
public sealed record EvpnMacIpRoute(
    ulong RouteDistinguisher, UInt128 EthernetSegmentId, uint EthernetTag, ulong Mac, IPAddress? IpAddress, uint Label1, uint? Label2)
    : EvpnRoute(RouteDistinguisher, EthernetTag)
{
    public override EvpnRouteType RouteType => EvpnRouteType.MacIpAdvertisement;
}
