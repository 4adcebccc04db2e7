using System.Buffers.Binary;
using System.Net;

namespace Replicator.Protocol.Bgp;

public static partial class BgpCodec
{
    /// <summary>
    /// MP_REACH_NLRI (RFC 4760 §3): AFI (2), SAFI (1), next hop length (1), next hop, reserved (1),
    /// NLRI. A family other than L2VPN/EVPN is not parsed (we never negotiate one): its NLRI count as one skipped.
    /// </summary>
    private static bool TryReadMpReach(ReadOnlySpan<byte> value, out MpReachNlri? reach)
    {
        reach = null;
        if (value.Length < 5) return false;
        ushort afi = BinaryPrimitives.ReadUInt16BigEndian(value);
        byte safi = value[2];
        int nextHopLength = value[3];
        if (nextHopLength > value.Length - 5) return false;
        ReadOnlySpan<byte> nextHopField = value.Slice(4, nextHopLength);
        ReadOnlySpan<byte> nlri = value[(5 + nextHopLength)..];
        IPAddress? nextHop = nextHopLength switch
        {
            4 or 16 => new IPAddress(nextHopField),
            32 => new IPAddress(nextHopField[..16]),
            _ => null,
        };
        if (!IsEvpn(afi, safi))
        {
            reach = new MpReachNlri(afi, safi, nextHop, [], nlri.IsEmpty ? 0 : 1);
            return true;
        }
        if (nextHop is null || !TryReadEvpnRoutes(nlri, out List<EvpnRoute> routes, out int skipped)) return false;
        reach = new MpReachNlri(afi, safi, nextHop, routes, skipped);
        return true;
    }

    /// <summary>MP_UNREACH_NLRI (RFC 4760 §4): AFI (2), SAFI (1), withdrawn routes.</summary>
    private static bool TryReadMpUnreach(ReadOnlySpan<byte> value, out MpUnreachNlri? unreach)
    {
        unreach = null;
        if (value.Length < 3) return false;
        ushort afi = BinaryPrimitives.ReadUInt16BigEndian(value);
        byte safi = value[2];
        ReadOnlySpan<byte> nlri = value[3..];
        if (!IsEvpn(afi, safi))
        {
            unreach = new MpUnreachNlri(afi, safi, [], nlri.IsEmpty ? 0 : 1);
            return true;
        }
        if (!TryReadEvpnRoutes(nlri, out List<EvpnRoute> routes, out int skipped)) return false;
        unreach = new MpUnreachNlri(afi, safi, routes, skipped);
        return true;
    }

    private static bool IsEvpn(ushort afi, byte safi) => afi == BgpConstants.AfiL2Vpn && safi == BgpConstants.SafiEvpn;

    /// <summary>
    /// EVPN NLRI (RFC 7432 §7): route type (1), length (1), value. Types 2 and 3 are decoded
    /// (their lengths must agree with their fields); other types are skipped and counted.
    /// </summary>
    private static bool TryReadEvpnRoutes(ReadOnlySpan<byte> nlri, out List<EvpnRoute> routes, out int skipped)
    {
        routes = [];
        skipped = 0;
        while (!nlri.IsEmpty)
        {
            if (nlri.Length < 2 || nlri[1] > nlri.Length - 2) return false;
            var routeType = (EvpnRouteType)nlri[0];
            ReadOnlySpan<byte> value = nlri.Slice(2, nlri[1]);
            nlri = nlri[(2 + value.Length)..];
            EvpnRoute? route = null;
            switch (routeType)
            {
                case EvpnRouteType.InclusiveMulticastEthernetTag:
                    if (!TryReadInclusiveMulticast(value, out route)) return false;
                    break;
                case EvpnRouteType.MacIpAdvertisement:
                    if (!TryReadMacIp(value, out route)) return false;
                    break;
                default:
                    skipped++;
                    continue;
            }
            routes.Add(route!);
        }
        return true;
    }

    /// <summary>Type 3: RD (8), Ethernet tag (4), IP length in bits (1: 32 or 128), originating router's IP.</summary>
    private static bool TryReadInclusiveMulticast(ReadOnlySpan<byte> value, out EvpnRoute? route)
    {
        route = null;
        if (value.Length < 13 || !TryAddressLength(value[12], out int octets) || octets == 0 || value.Length != 13 + octets) return false;
        route = new EvpnInclusiveMulticastRoute(
            BinaryPrimitives.ReadUInt64BigEndian(value), BinaryPrimitives.ReadUInt32BigEndian(value[8..]), new IPAddress(value.Slice(13, octets)));
        return true;
    }

    /// <summary>
    /// Type 2: RD (8), ESI (10), Ethernet tag (4), MAC length (1: 48), MAC (6), IP length (1: 0, 32
    /// or 128), IP, label 1 (3), optional label 2 (3).
    /// </summary>
    private static bool TryReadMacIp(ReadOnlySpan<byte> value, out EvpnRoute? route)
    {
        route = null;
        const int ipLengthOffset = 8 + 10 + 4 + 1 + 6;
        if (value.Length < ipLengthOffset + 1 + 3 || value[22] != 48 || !TryAddressLength(value[ipLengthOffset], out int octets)) return false;
        int labelsOffset = ipLengthOffset + 1 + octets;
        int labelsLength = value.Length - labelsOffset;
        if (labelsLength is not (3 or 6)) return false;
        UInt128 esi = 0;
        foreach (byte b in value.Slice(8, 10)) esi = esi << 8 | b;
        ulong mac = 0;
        foreach (byte b in value.Slice(23, 6)) mac = mac << 8 | b;
        IPAddress? ip = octets == 0 ? null : new IPAddress(value.Slice(ipLengthOffset + 1, octets));
        route = new EvpnMacIpRoute(
            BinaryPrimitives.ReadUInt64BigEndian(value), esi, BinaryPrimitives.ReadUInt32BigEndian(value[18..]), mac, ip,
            ReadLabel(value[labelsOffset..]), labelsLength == 6 ? ReadLabel(value[(labelsOffset + 3)..]) : null);
        return true;
    }

    private static uint ReadLabel(ReadOnlySpan<byte> label) => (uint)(label[0] << 16 | label[1] << 8 | label[2]);

    private static bool TryAddressLength(byte bits, out int octets)
    {
        octets = bits switch { 0 => 0, 32 => 4, 128 => 16, _ => -1 };
        return octets >= 0;
    }
}
