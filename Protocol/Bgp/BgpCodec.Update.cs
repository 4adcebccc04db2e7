using System.Buffers.Binary;
using System.Net;

namespace Replicator.Protocol.Bgp;

public static partial class BgpCodec
{
    private const BgpAttributeFlags KindMask = BgpAttributeFlags.Optional | BgpAttributeFlags.Transitive;
    private const BgpAttributeFlags WellKnown = BgpAttributeFlags.Transitive;
    private const BgpAttributeFlags OptionalNonTransitive = BgpAttributeFlags.Optional;
    private const BgpAttributeFlags OptionalTransitive = BgpAttributeFlags.Optional | BgpAttributeFlags.Transitive;
    /// <summary>ATOMIC_AGGREGATE (RFC 4271): well-known, so it must be recognised; it means nothing to EVPN.</summary>
    private const byte AtomicAggregate = 6;

    /// <summary>
    /// UPDATE body: withdrawn routes length (2), withdrawn routes, path attributes length (2),
    /// attributes, NLRI. Each attribute is flags (1), type (1), length (1, or 2 with flag 0x10),
    /// value. Errors RFC 7606 handles as treat-as-withdraw are reported in the message; the others fail it.
    /// </summary>
    private static BgpDecodeResult DecodeUpdate(ReadOnlySpan<byte> body, bool fourOctetAsPath)
    {
        int withdrawnLength = BinaryPrimitives.ReadUInt16BigEndian(body);
        if (withdrawnLength > body.Length - 4) return BgpDecodeResult.Fail(BgpDecodeError.MalformedAttributeList);
        ReadOnlySpan<byte> withdrawnField = body.Slice(2, withdrawnLength);
        int attributesLength = BinaryPrimitives.ReadUInt16BigEndian(body[(2 + withdrawnLength)..]);
        ReadOnlySpan<byte> rest = body[(4 + withdrawnLength)..];
        if (attributesLength > rest.Length) return BgpDecodeResult.Fail(BgpDecodeError.MalformedAttributeList);
        if (!TryReadIpv4Prefixes(withdrawnField, out List<Ipv4Prefix> withdrawn)
            || !TryReadIpv4Prefixes(rest[attributesLength..], out List<Ipv4Prefix> nlri))
            return BgpDecodeResult.Fail(BgpDecodeError.InvalidNetworkField);

        var update = new UpdateBuilder { Update = new BgpUpdateMessage { WithdrawnRoutes = withdrawn, Nlri = nlri } };
        Span<bool> seen = stackalloc bool[256];
        ReadOnlySpan<byte> attributes = rest[..attributesLength];
        while (!attributes.IsEmpty)
        {
            if (attributes.Length < 3) return BgpDecodeResult.Fail(BgpDecodeError.MalformedAttributeList);
            var flags = (BgpAttributeFlags)attributes[0];
            byte typeCode = attributes[1];
            bool extended = (flags & BgpAttributeFlags.ExtendedLength) != 0;
            int headerLength = extended ? 4 : 3;
            if (attributes.Length < headerLength) return BgpDecodeResult.Fail(BgpDecodeError.MalformedAttributeList);
            int valueLength = extended ? BinaryPrimitives.ReadUInt16BigEndian(attributes[2..]) : attributes[2];
            if (valueLength > attributes.Length - headerLength) return BgpDecodeResult.Fail(BgpDecodeError.MalformedAttributeList);
            ReadOnlySpan<byte> value = attributes.Slice(headerLength, valueLength);
            attributes = attributes[(headerLength + valueLength)..];

            bool duplicate = seen[typeCode];
            seen[typeCode] = true;
            if (duplicate)
            {
                // RFC 7606 §3 (g): a second MP attribute resets; any other repeat is discarded.
                if (typeCode is (byte)BgpAttributeType.MpReachNlri or (byte)BgpAttributeType.MpUnreachNlri)
                    return BgpDecodeResult.Fail(BgpDecodeError.DuplicateMpAttribute);
                continue;
            }
            BgpDecodeError error = DecodeAttribute(ref update, flags & KindMask, typeCode, value, fourOctetAsPath);
            if (error == BgpDecodeError.None) continue;
            if (!error.IsTreatAsWithdraw()) return BgpDecodeResult.Fail(error);
            if (update.Error == BgpDecodeError.None) update.Error = error;
        }

        bool reachable = nlri.Count > 0 || update.Update.MpReach is { Routes.Count: > 0 };
        if (update.Error == BgpDecodeError.None && reachable
            && (update.Update.Origin is null || update.Update.AsPath is null || (nlri.Count > 0 && update.Update.NextHop is null)))
            update.Error = BgpDecodeError.MissingWellKnownAttribute;
        return BgpDecodeResult.Ok(update.Update with { AttributeError = update.Error });
    }

    /// <summary>The message under construction and the first treat-as-withdraw error.</summary>
    private struct UpdateBuilder
    {
        public BgpUpdateMessage Update;
        public BgpDecodeError Error;
    }

    private static BgpDecodeError DecodeAttribute(ref UpdateBuilder b, BgpAttributeFlags kind, byte typeCode, ReadOnlySpan<byte> value, bool fourOctetAsPath)
    {
        switch ((BgpAttributeType)typeCode)
        {
            case BgpAttributeType.Origin:
                if (kind != WellKnown) return BgpDecodeError.AttributeFlags;
                if (value.Length != 1) return BgpDecodeError.AttributeLength;
                if (value[0] > (byte)BgpOrigin.Incomplete) return BgpDecodeError.InvalidOrigin;
                b.Update = b.Update with { Origin = (BgpOrigin)value[0] };
                return BgpDecodeError.None;
            case BgpAttributeType.AsPath:
                if (kind != WellKnown) return BgpDecodeError.AttributeFlags;
                if (!TryReadAsPath(value, fourOctetAsPath ? 4 : 2, out List<AsPathSegment>? path)) return BgpDecodeError.MalformedAsPath;
                b.Update = b.Update with { AsPath = path };
                return BgpDecodeError.None;
            case BgpAttributeType.NextHop:
                if (kind != WellKnown) return BgpDecodeError.AttributeFlags;
                if (value.Length != 4) return BgpDecodeError.AttributeLength;
                uint nextHop = BinaryPrimitives.ReadUInt32BigEndian(value);
                // 0.0.0.0, 127/8 and multicast are never a next hop (RFC 4271 §6.3).
                if (nextHop == 0 || nextHop >> 24 == 127 || nextHop >> 28 == 0xe) return BgpDecodeError.InvalidNextHop;
                b.Update = b.Update with { NextHop = new IPAddress(value) };
                return BgpDecodeError.None;
            case BgpAttributeType.MultiExitDiscriminator:
                if (kind != OptionalNonTransitive) return BgpDecodeError.AttributeFlags;
                if (value.Length != 4) return BgpDecodeError.AttributeLength;
                b.Update = b.Update with { MultiExitDiscriminator = BinaryPrimitives.ReadUInt32BigEndian(value) };
                return BgpDecodeError.None;
            case BgpAttributeType.LocalPreference:
                if (kind != WellKnown) return BgpDecodeError.AttributeFlags;
                if (value.Length != 4) return BgpDecodeError.AttributeLength;
                b.Update = b.Update with { LocalPreference = BinaryPrimitives.ReadUInt32BigEndian(value) };
                return BgpDecodeError.None;
            case BgpAttributeType.OriginatorId:
                if (kind != OptionalNonTransitive) return BgpDecodeError.AttributeFlags;
                if (value.Length != 4) return BgpDecodeError.AttributeLength;
                b.Update = b.Update with { OriginatorId = BinaryPrimitives.ReadUInt32BigEndian(value) };
                return BgpDecodeError.None;
            case BgpAttributeType.ClusterList:
                if (kind != OptionalNonTransitive) return BgpDecodeError.AttributeFlags;
                if (value.Length == 0 || value.Length % 4 != 0) return BgpDecodeError.AttributeLength;
                b.Update = b.Update with { ClusterList = ReadUInt32s(value) };
                return BgpDecodeError.None;
            case BgpAttributeType.ExtendedCommunities:
                if (kind != OptionalTransitive) return BgpDecodeError.AttributeFlags;
                if (value.Length % 8 != 0) return BgpDecodeError.MalformedExtendedCommunities;
                var communities = new ulong[value.Length / 8];
                for (int i = 0; i < communities.Length; i++) communities[i] = BinaryPrimitives.ReadUInt64BigEndian(value[(i * 8)..]);
                b.Update = b.Update with { ExtendedCommunities = communities };
                return BgpDecodeError.None;
            case BgpAttributeType.PmsiTunnel:
                if (kind != OptionalTransitive) return BgpDecodeError.AttributeFlags;
                if (value.Length < 5) return BgpDecodeError.MalformedPmsiTunnel;
                ReadOnlySpan<byte> tunnelId = value[5..];
                bool isAddress = tunnelId.Length is 4 or 16;
                if (value[1] == PmsiTunnel.IngressReplication && !isAddress) return BgpDecodeError.MalformedPmsiTunnel;
                uint label = (uint)(value[2] << 16 | value[3] << 8 | value[4]);
                b.Update = b.Update with { PmsiTunnel = new PmsiTunnel(value[0], value[1], label, isAddress ? new IPAddress(tunnelId) : null) };
                return BgpDecodeError.None;
            case BgpAttributeType.MpReachNlri:
                if (kind != OptionalNonTransitive || !TryReadMpReach(value, out MpReachNlri? reach)) return BgpDecodeError.MalformedMpReach;
                b.Update = b.Update with { MpReach = reach };
                return BgpDecodeError.None;
            case BgpAttributeType.MpUnreachNlri:
                if (kind != OptionalNonTransitive || !TryReadMpUnreach(value, out MpUnreachNlri? unreach)) return BgpDecodeError.MalformedMpUnreach;
                b.Update = b.Update with { MpUnreach = unreach };
                return BgpDecodeError.None;
            default:
                if (typeCode == AtomicAggregate) return kind == WellKnown ? BgpDecodeError.None : BgpDecodeError.AttributeFlags;
                // An unknown optional attribute is ignored; an unknown well-known one cannot be (RFC 4271 §6.3).
                if ((kind & BgpAttributeFlags.Optional) == 0) return BgpDecodeError.UnrecognizedWellKnownAttribute;
                b.Update = b.Update with { UnknownAttributes = b.Update.UnknownAttributes + 1 };
                return BgpDecodeError.None;
        }
    }

    private static uint[] ReadUInt32s(ReadOnlySpan<byte> value)
    {
        var result = new uint[value.Length / 4];
        for (int i = 0; i < result.Length; i++) result[i] = BinaryPrimitives.ReadUInt32BigEndian(value[(i * 4)..]);
        return result;
    }

    /// <summary>Segments of type (1), count (1, at least 1: RFC 7606 §7.2), then count ASNs of <paramref name="asnSize"/> octets.</summary>
    private static bool TryReadAsPath(ReadOnlySpan<byte> value, int asnSize, out List<AsPathSegment>? path)
    {
        path = [];
        while (!value.IsEmpty)
        {
            if (value.Length < 2) return false;
            byte segmentType = value[0];
            int count = value[1];
            if (segmentType is < 1 or > 4 || count == 0 || count * asnSize > value.Length - 2) return false;
            var asns = new uint[count];
            for (int i = 0; i < count; i++)
                asns[i] = asnSize == 4 ? BinaryPrimitives.ReadUInt32BigEndian(value[(2 + i * 4)..]) : BinaryPrimitives.ReadUInt16BigEndian(value[(2 + i * 2)..]);
            path.Add(new AsPathSegment((AsPathSegmentType)segmentType, asns));
            value = value[(2 + count * asnSize)..];
        }
        return true;
    }

    /// <summary>Length (1, bits, at most 32), then the prefix in as few octets as hold it.</summary>
    private static bool TryReadIpv4Prefixes(ReadOnlySpan<byte> field, out List<Ipv4Prefix> prefixes)
    {
        prefixes = [];
        Span<byte> address = stackalloc byte[4];
        while (!field.IsEmpty)
        {
            int bits = field[0];
            int octets = (bits + 7) / 8;
            if (bits > 32 || octets > field.Length - 1) return false;
            address.Clear();
            field.Slice(1, octets).CopyTo(address);
            prefixes.Add(new Ipv4Prefix(BinaryPrimitives.ReadUInt32BigEndian(address), (byte)bits));
            field = field[(1 + octets)..];
        }
        return true;
    }
}
