using System.Buffers.Binary;

namespace Replicator.Protocol.Control;

public static partial class ControlCodec
{
    // How the reference writer frames a body with a cookie: a fixmap of 6 to 8 pairs (the cookie and the
    // optional generations and deltas), ending with key 5 and a bin8 of 16 bytes.
    private const byte MapWithCookie = 0x86;
    private const byte MapWithCookieMost = 0x88;
    private const int CookieFieldSize = 3 + ControlLimits.CookieBytes;

    /// <summary>
    /// Replaces the cookie of a Register or PeerList datagram encoded by this codec with a cookie
    /// (key 5 is always written last, even after keys 6 and 7, so it is the body's last 16 bytes), in place: one encoding of
    /// a pushed peer list then serves every member, each with its own cookie. Call before signing.
    /// False, and nothing written, when the datagram does not end with a cookie field.
    /// </summary>
    public static bool TryWriteCookie(Span<byte> datagram, UInt128 cookie)
    {
        if (!ControlHeader.TryParse(datagram, out ControlHeader header, out _) || header.Type == ControlMessageType.Sync) return false;
        int bodyEnd = datagram.Length - ((header.Flags & ControlFlags.AuthenticationTrailer) != 0 ? ControlAuthenticator.TrailerSize : 0);
        int field = bodyEnd - CookieFieldSize;
        if (field < ControlHeader.Size + 1 || datagram[ControlHeader.Size] is < MapWithCookie or > MapWithCookieMost) return false;
        if (datagram[field] != 5 || datagram[field + 1] != 0xc4 || datagram[field + 2] != ControlLimits.CookieBytes) return false;
        BinaryPrimitives.WriteUInt128BigEndian(datagram.Slice(field + 3, ControlLimits.CookieBytes), cookie);
        return true;
    }
}
