using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Replicator.Protocol.Control;

/// <summary>
/// Signs and verifies the authentication trailer (PROTOCOL.md, "Authentication trailer"): the
/// last 60 bytes of a message whose header has <see cref="ControlFlags.AuthenticationTrailer"/>:
/// <code>
/// offset 0   4 bytes  key id, big-endian
/// offset 4   8 bytes  timestamp, unix milliseconds, big-endian signed
/// offset 12 16 bytes  nonce
/// offset 28 32 bytes  HMAC-SHA256(key, every byte of the message before this field)
/// </code>
/// The MAC covers header, body, key id, timestamp and nonce, so none can be altered or replayed
/// with a fresh timestamp. Checking the timestamp window and nonce reuse is the receiver's policy.
/// </summary>
public static class ControlAuthenticator
{
    public const int KeyIdSize = 4;
    public const int TimestampSize = 8;
    public const int NonceSize = 16;
    public const int MacSize = 32;
    public const int TrailerSize = KeyIdSize + TimestampSize + NonceSize + MacSize;

    private const int MacOffsetInTrailer = KeyIdSize + TimestampSize + NonceSize;

    /// <summary>A trailer stamped with <paramref name="time"/>'s clock and a random nonce.</summary>
    public static AuthenticationTrailer CreateTrailer(uint keyId, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        Span<byte> nonce = stackalloc byte[NonceSize];
        RandomNumberGenerator.Fill(nonce);
        return new AuthenticationTrailer(keyId, time.GetUtcNow().ToUnixTimeMilliseconds(), BinaryPrimitives.ReadUInt128BigEndian(nonce));
    }

    /// <summary>
    /// Fills the reserved trailer of <paramref name="datagram"/> (encoded with
    /// <c>reserveAuthenticationTrailer: true</c>) with <paramref name="trailer"/> and the MAC.
    /// </summary>
    /// <exception cref="ArgumentException">No trailer flag, too short, or an empty key.</exception>
    public static void Sign(Span<byte> datagram, ReadOnlySpan<byte> key, AuthenticationTrailer trailer)
    {
        if (!HasTrailer(datagram)) throw new ArgumentException("datagram has no reserved authentication trailer", nameof(datagram));
        if (key.IsEmpty) throw new ArgumentException("key must not be empty", nameof(key));
        Span<byte> t = datagram[^TrailerSize..];
        BinaryPrimitives.WriteUInt32BigEndian(t, trailer.KeyId);
        BinaryPrimitives.WriteInt64BigEndian(t[KeyIdSize..], trailer.TimestampUnixMilliseconds);
        BinaryPrimitives.WriteUInt128BigEndian(t[(KeyIdSize + TimestampSize)..], trailer.Nonce);
        HMACSHA256.HashData(key, datagram[..^MacSize], t[MacOffsetInTrailer..]);
    }

    /// <summary>Signs with a fresh trailer from <see cref="CreateTrailer"/>.</summary>
    public static AuthenticationTrailer Sign(Span<byte> datagram, ReadOnlySpan<byte> key, uint keyId, TimeProvider time)
    {
        AuthenticationTrailer trailer = CreateTrailer(keyId, time);
        Sign(datagram, key, trailer);
        return trailer;
    }

    /// <summary>
    /// True when <paramref name="datagram"/> carries a trailer whose MAC matches under
    /// <paramref name="key"/> (compared in fixed time). Never throws for bad input.
    /// </summary>
    public static bool Verify(ReadOnlySpan<byte> datagram, ReadOnlySpan<byte> key)
    {
        if (!HasTrailer(datagram) || key.IsEmpty) return false;
        Span<byte> expected = stackalloc byte[MacSize];
        HMACSHA256.HashData(key, datagram[..^MacSize], expected);
        return CryptographicOperations.FixedTimeEquals(expected, datagram[^MacSize..]);
    }

    /// <summary>Reads the trailer fields (not the MAC) when the flag is set and the datagram is long enough.</summary>
    public static bool TryReadTrailer(ReadOnlySpan<byte> datagram, out AuthenticationTrailer trailer)
    {
        if (!HasTrailer(datagram))
        {
            trailer = default;
            return false;
        }
        ReadOnlySpan<byte> t = datagram[^TrailerSize..];
        trailer = new AuthenticationTrailer(
            BinaryPrimitives.ReadUInt32BigEndian(t),
            BinaryPrimitives.ReadInt64BigEndian(t[KeyIdSize..]),
            BinaryPrimitives.ReadUInt128BigEndian(t[(KeyIdSize + TimestampSize)..]));
        return true;
    }

    private static bool HasTrailer(ReadOnlySpan<byte> datagram) =>
        datagram.Length >= ControlHeader.Size + TrailerSize
        && ((ControlFlags)datagram[4] & ControlFlags.AuthenticationTrailer) != 0;
}
