using System.Buffers.Binary;

namespace Replicator.Protocol.Bgp;

/// <summary>
/// The BGP-4 decoder (RFC 4271 and the extensions an EVPN speaker needs). Bounded and total:
/// it reads nothing beyond the lengths it checked, never throws on input, and reports a typed
/// <see cref="BgpDecodeError"/>. The session reads a header with <see cref="TryReadHeader"/>,
/// then the rest of the message, then calls <see cref="Decode"/>.
/// </summary>
public static partial class BgpCodec
{
    /// <summary>
    /// Checks a message header (the first 19 octets): marker, length within 19..4096 and
    /// plausible for the type, a known type. On failure, <paramref name="length"/> and
    /// <paramref name="type"/> hold what was read (the NOTIFICATION's data).
    /// </summary>
    public static BgpDecodeError TryReadHeader(ReadOnlySpan<byte> header, out BgpMessageType type, out int length)
    {
        type = 0;
        length = 0;
        if (header.Length < BgpConstants.HeaderLength) return BgpDecodeError.BadMessageLength;
        if (header[..16].ContainsAnyExcept((byte)0xff)) return BgpDecodeError.ConnectionNotSynchronized;
        length = BinaryPrimitives.ReadUInt16BigEndian(header[16..]);
        type = (BgpMessageType)header[18];
        if (length is < BgpConstants.HeaderLength or > BgpConstants.MaxMessageLength) return BgpDecodeError.BadMessageLength;
        int minimum = type switch
        {
            BgpMessageType.Open => BgpConstants.MinOpenLength,
            BgpMessageType.Update => BgpConstants.MinUpdateLength,
            BgpMessageType.Notification => BgpConstants.MinNotificationLength,
            BgpMessageType.Keepalive => BgpConstants.HeaderLength,
            BgpMessageType.RouteRefresh => BgpConstants.HeaderLength,
            _ => -1,
        };
        if (minimum < 0) return BgpDecodeError.BadMessageType;
        if (length < minimum || (type == BgpMessageType.Keepalive && length != BgpConstants.HeaderLength)) return BgpDecodeError.BadMessageLength;
        return BgpDecodeError.None;
    }

    /// <summary>
    /// Decodes one whole message, header included. <paramref name="fourOctetAsPath"/> is whether
    /// both sides announced the 4-octet AS capability (then AS_PATH carries 4-octet ASNs).
    /// </summary>
    public static BgpDecodeResult Decode(ReadOnlySpan<byte> message, bool fourOctetAsPath = true)
    {
        BgpDecodeError error = TryReadHeader(message, out BgpMessageType type, out int length);
        if (error != BgpDecodeError.None) return BgpDecodeResult.Fail(error);
        if (length != message.Length) return BgpDecodeResult.Fail(BgpDecodeError.BadMessageLength);
        ReadOnlySpan<byte> body = message[BgpConstants.HeaderLength..];
        return type switch
        {
            BgpMessageType.Open => DecodeOpen(body),
            BgpMessageType.Update => DecodeUpdate(body, fourOctetAsPath),
            BgpMessageType.Notification => BgpDecodeResult.Ok(new BgpNotificationMessage((BgpErrorCode)body[0], body[1], body[2..].ToArray())),
            BgpMessageType.Keepalive => BgpDecodeResult.Ok(BgpKeepaliveMessage.Instance),
            _ => DecodeRouteRefresh(body),
        };
    }

    /// <summary>RFC 2918 §3: AFI (2), reserved (1; RFC 7313's subtype), SAFI (1).</summary>
    private static BgpDecodeResult DecodeRouteRefresh(ReadOnlySpan<byte> body) => body.Length != 4
        ? BgpDecodeResult.Fail(BgpDecodeError.InvalidRouteRefreshLength)
        : BgpDecodeResult.Ok(new BgpRouteRefreshMessage(BinaryPrimitives.ReadUInt16BigEndian(body), body[3], body[2]));
}
