using System.Net;

namespace Replicator.Protocol.Bgp;

/// <summary>ORIGIN values (RFC 4271 §5.1.1).</summary>
public enum BgpOrigin : byte
{
    Igp = 0,
    Egp = 1,
    Incomplete = 2,
}

/// <summary>AS_PATH segment types (RFC 4271 §4.3, RFC 5065 for the confederation ones).</summary>
public enum AsPathSegmentType : byte
{
    AsSet = 1,
    AsSequence = 2,
    ConfedSequence = 3,
    ConfedSet = 4,
}

/// <summary>One AS_PATH segment with 4-octet ASNs.</summary>
public sealed record AsPathSegment(AsPathSegmentType SegmentType, IReadOnlyList<uint> Asns);

/// <summary>An IPv4 prefix of the classic withdrawn-routes and NLRI fields (we negotiate no IPv4 unicast; they are decoded to be validated).</summary>
public readonly record struct Ipv4Prefix(uint Address, byte Length);

/// <summary>PMSI_TUNNEL (RFC 6514 §5). For ingress replication (type 6) the tunnel id is the VTEP's address and the label the VNI, unshifted (RFC 8365).</summary>
/// <param name="Label">The 3 label octets as a 24-bit number.</param>
/// <param name="TunnelEndpoint">The tunnel identifier when it is 4 or 16 octets (an address), else null.</param>
public sealed record PmsiTunnel(byte Flags, byte TunnelType, uint Label, IPAddress? TunnelEndpoint)
{
    public const byte IngressReplication = 6;
}

/// <summary>MP_REACH_NLRI (RFC 4760 §3). <see cref="Routes"/> holds the EVPN types 2 and 3 (for AFI 25/SAFI 70); other families and route types are skipped and counted in <see cref="SkippedRoutes"/>.</summary>
/// <param name="NextHop">The next hop when it is 4, 16 or 32 (global + link-local: the global one) octets.</param>
public sealed record MpReachNlri(ushort Afi, byte Safi, IPAddress? NextHop, IReadOnlyList<EvpnRoute> Routes, int SkippedRoutes);

/// <summary>MP_UNREACH_NLRI (RFC 4760 §4); empty with AFI 25/SAFI 70 and nothing else in the UPDATE, it is the EVPN End-of-RIB (RFC 4724).</summary>
public sealed record MpUnreachNlri(ushort Afi, byte Safi, IReadOnlyList<EvpnRoute> Routes, int SkippedRoutes);

/// <summary>
/// UPDATE (RFC 4271 §4.3) with the attributes an EVPN speaker uses. Absent attributes are null.
/// <see cref="AttributeError"/> is not <see cref="BgpDecodeError.None"/> when the decoder found an
/// error RFC 7606 handles as treat-as-withdraw: the reachable routes are then to be taken as withdrawn.
/// </summary>
public sealed record BgpUpdateMessage : BgpMessage
{
    public override BgpMessageType Type => BgpMessageType.Update;

    public IReadOnlyList<Ipv4Prefix> WithdrawnRoutes { get; init; } = [];
    public IReadOnlyList<Ipv4Prefix> Nlri { get; init; } = [];
    public BgpOrigin? Origin { get; init; }
    public IReadOnlyList<AsPathSegment>? AsPath { get; init; }
    public IPAddress? NextHop { get; init; }
    public uint? MultiExitDiscriminator { get; init; }
    public uint? LocalPreference { get; init; }
    public uint? OriginatorId { get; init; }
    public IReadOnlyList<uint>? ClusterList { get; init; }
    /// <summary>Each community's 8 octets, big-endian.</summary>
    public IReadOnlyList<ulong>? ExtendedCommunities { get; init; }
    public PmsiTunnel? PmsiTunnel { get; init; }
    public MpReachNlri? MpReach { get; init; }
    public MpUnreachNlri? MpUnreach { get; init; }
    /// <summary>Optional attributes of unknown type (ignored, as RFC 4271 allows).</summary>
    public int UnknownAttributes { get; init; }
    /// <summary>A treat-as-withdraw error (RFC 7606), else None.</summary>
    public BgpDecodeError AttributeError { get; init; }

    /// <summary>The L2VPN/EVPN End-of-RIB marker: an UPDATE with only an empty MP_UNREACH_NLRI for 25/70.</summary>
    public bool IsEvpnEndOfRib =>
        MpUnreach is { Afi: BgpConstants.AfiL2Vpn, Safi: BgpConstants.SafiEvpn, Routes.Count: 0, SkippedRoutes: 0 }
        && MpReach is null && WithdrawnRoutes.Count == 0 && Nlri.Count == 0;

    /// <summary>The IPv4 unicast End-of-RIB: an UPDATE with nothing in it.</summary>
    public bool IsIpv4EndOfRib =>
        MpUnreach is null && MpReach is null && WithdrawnRoutes.Count == 0 && Nlri.Count == 0 && Origin is null && AsPath is null;
}
