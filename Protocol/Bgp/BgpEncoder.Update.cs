using System.Net;
using System.Net.Sockets;

namespace Replicator.Protocol.Bgp;

public static partial class BgpEncoder
{
    /// <summary>
    /// UPDATE with the attributes in the order FRR sends them (MP_REACH_NLRI first, as RFC 4760
    /// suggests, then by type code), and the extended-length flag on MP_REACH/MP_UNREACH and
    /// AS_PATH always (as FRR does) and on the others when they pass 255 octets: an FRR type-3
    /// route and ours are byte for byte the same.
    /// </summary>
    private static void WriteUpdate(ref BgpWriter writer, BgpUpdateMessage update)
    {
        int withdrawnAt = writer.ReserveLength(2);
        WriteIpv4Prefixes(ref writer, update.WithdrawnRoutes);
        writer.PatchLength(withdrawnAt, 2);
        int attributesAt = writer.ReserveLength(2);

        if (update.MpReach is { } reach)
        {
            int at = BeginExtended(ref writer, OptionalNonTransitive, BgpAttributeType.MpReachNlri);
            writer.WriteUInt16(reach.Afi);
            writer.WriteByte(reach.Safi);
            int nextHopAt = writer.ReserveLength(1);
            if (reach.NextHop is not null) writer.WriteAddress(reach.NextHop);
            writer.PatchLength(nextHopAt, 1);
            writer.WriteByte(0);
            WriteEvpnRoutes(ref writer, reach.Routes);
            writer.PatchLength(at, 2);
        }
        if (update.MpUnreach is { } unreach)
        {
            int at = BeginExtended(ref writer, OptionalNonTransitive, BgpAttributeType.MpUnreachNlri);
            writer.WriteUInt16(unreach.Afi);
            writer.WriteByte(unreach.Safi);
            WriteEvpnRoutes(ref writer, unreach.Routes);
            writer.PatchLength(at, 2);
        }
        if (update.Origin is { } origin)
        {
            WriteHeader(ref writer, WellKnown, BgpAttributeType.Origin, 1);
            writer.WriteByte((byte)origin);
        }
        if (update.AsPath is { } path)
        {
            int at = BeginExtended(ref writer, WellKnown, BgpAttributeType.AsPath);
            foreach (AsPathSegment segment in path)
            {
                writer.WriteByte((byte)segment.SegmentType);
                writer.WriteByte((byte)segment.Asns.Count);
                foreach (uint asn in segment.Asns) writer.WriteUInt32(asn);
            }
            writer.PatchLength(at, 2);
        }
        if (update.NextHop is { } nextHop)
        {
            WriteHeader(ref writer, WellKnown, BgpAttributeType.NextHop, 4);
            writer.WriteAddress(nextHop);
        }
        WriteUInt32Attribute(ref writer, OptionalNonTransitive, BgpAttributeType.MultiExitDiscriminator, update.MultiExitDiscriminator);
        WriteUInt32Attribute(ref writer, WellKnown, BgpAttributeType.LocalPreference, update.LocalPreference);
        WriteUInt32Attribute(ref writer, OptionalNonTransitive, BgpAttributeType.OriginatorId, update.OriginatorId);
        if (update.ClusterList is { } clusters)
        {
            WriteHeader(ref writer, OptionalNonTransitive, BgpAttributeType.ClusterList, clusters.Count * 4);
            foreach (uint cluster in clusters) writer.WriteUInt32(cluster);
        }
        if (update.ExtendedCommunities is { } communities)
        {
            WriteHeader(ref writer, OptionalTransitive, BgpAttributeType.ExtendedCommunities, communities.Count * 8);
            foreach (ulong community in communities) writer.WriteUInt64(community);
        }
        if (update.PmsiTunnel is { } pmsi)
        {
            WriteHeader(ref writer, OptionalTransitive, BgpAttributeType.PmsiTunnel, 5 + AddressLength(pmsi.TunnelEndpoint));
            writer.WriteByte(pmsi.Flags);
            writer.WriteByte(pmsi.TunnelType);
            writer.WriteUInt24(pmsi.Label);
            if (pmsi.TunnelEndpoint is not null) writer.WriteAddress(pmsi.TunnelEndpoint);
        }
        writer.PatchLength(attributesAt, 2);
        WriteIpv4Prefixes(ref writer, update.Nlri);
    }

    private const BgpAttributeFlags WellKnown = BgpAttributeFlags.Transitive;
    private const BgpAttributeFlags OptionalNonTransitive = BgpAttributeFlags.Optional;
    private const BgpAttributeFlags OptionalTransitive = BgpAttributeFlags.Optional | BgpAttributeFlags.Transitive;

    private static int AddressLength(IPAddress? address) =>
        address is null ? 0 : address.AddressFamily == AddressFamily.InterNetwork ? 4 : 16;

    private static void WriteHeader(ref BgpWriter writer, BgpAttributeFlags flags, BgpAttributeType type, int length)
    {
        bool extended = length > byte.MaxValue;
        writer.WriteByte((byte)(flags | (extended ? BgpAttributeFlags.ExtendedLength : 0)));
        writer.WriteByte((byte)type);
        if (extended) writer.WriteUInt16((ushort)length);
        else writer.WriteByte((byte)length);
    }

    /// <summary>Flags with the extended-length bit, type, and a 2-octet length to patch.</summary>
    private static int BeginExtended(ref BgpWriter writer, BgpAttributeFlags flags, BgpAttributeType type)
    {
        writer.WriteByte((byte)(flags | BgpAttributeFlags.ExtendedLength));
        writer.WriteByte((byte)type);
        return writer.ReserveLength(2);
    }

    private static void WriteUInt32Attribute(ref BgpWriter writer, BgpAttributeFlags flags, BgpAttributeType type, uint? value)
    {
        if (value is not { } v) return;
        WriteHeader(ref writer, flags, type, 4);
        writer.WriteUInt32(v);
    }

    private static void WriteIpv4Prefixes(ref BgpWriter writer, IReadOnlyList<Ipv4Prefix> prefixes)
    {
        foreach (Ipv4Prefix prefix in prefixes)
        {
            writer.WriteByte(prefix.Length);
            for (int i = 0; i < (prefix.Length + 7) / 8; i++) writer.WriteByte((byte)(prefix.Address >> (24 - 8 * i)));
        }
    }

    private static void WriteEvpnRoutes(ref BgpWriter writer, IReadOnlyList<EvpnRoute> routes)
    {
        foreach (EvpnRoute route in routes)
        {
            writer.WriteByte((byte)route.RouteType);
            int at = writer.ReserveLength(1);
            writer.WriteUInt64(route.RouteDistinguisher);
            switch (route)
            {
                case EvpnInclusiveMulticastRoute imet:
                    writer.WriteUInt32(imet.EthernetTag);
                    writer.WriteByte((byte)(AddressLength(imet.OriginatingRouter) * 8));
                    writer.WriteAddress(imet.OriginatingRouter);
                    break;
                case EvpnMacIpRoute macIp:
                    for (int i = 9; i >= 0; i--) writer.WriteByte((byte)(macIp.EthernetSegmentId >> (8 * i)));
                    writer.WriteUInt32(macIp.EthernetTag);
                    writer.WriteByte(48);
                    for (int i = 5; i >= 0; i--) writer.WriteByte((byte)(macIp.Mac >> (8 * i)));
                    writer.WriteByte((byte)(AddressLength(macIp.IpAddress) * 8));
                    if (macIp.IpAddress is not null) writer.WriteAddress(macIp.IpAddress);
                    writer.WriteUInt24(macIp.Label1);
                    if (macIp.Label2 is { } label2) writer.WriteUInt24(label2);
                    break;
            }
            writer.PatchLength(at, 1);
        }
    }
}
