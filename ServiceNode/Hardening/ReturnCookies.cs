using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Replicator.ServiceNode.Hardening;

/// <summary>
/// Return-routability cookies (PROTOCOL.md section 5.1): the first 16 bytes of
/// HMAC-SHA256(secret, epoch || address), epoch = unix time / <see cref="EpochSeconds"/> as 4
/// big-endian bytes, address as 16 bytes (IPv4 in its IPv4-mapped form, see <c>SourceKey</c>).
/// The secret is 32 random bytes per process, so a restart or another node invalidates every
/// cookie (the VTEP then proves itself again within one round trip). A cookie verifies during its
/// epoch and the next one. Minting and verifying allocate nothing; thread-safe.
/// </summary>
internal sealed class ReturnCookies
{
    public const int EpochSeconds = 300;
    private const int SecretBytes = 32;
    private const int CookieBytes = 16;

    private readonly byte[] _secret;

    public ReturnCookies() : this(RandomNumberGenerator.GetBytes(SecretBytes))
    {
    }

    /// <param name="secret">32 bytes (tests pass a fixed one).</param>
    public ReturnCookies(byte[] secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        if (secret.Length != SecretBytes) throw new ArgumentException($"the secret must be {SecretBytes} bytes", nameof(secret));
        _secret = [.. secret];
    }

    /// <summary>The cookie of <paramref name="address"/> (a <c>SourceKey</c>) at <paramref name="unixSeconds"/>.</summary>
    public UInt128 Mint(UInt128 address, long unixSeconds)
    {
        Span<byte> cookie = stackalloc byte[CookieBytes];
        Compute(address, unixSeconds / EpochSeconds, cookie);
        return BinaryPrimitives.ReadUInt128BigEndian(cookie);
    }

    /// <summary>
    /// True when <paramref name="cookie"/> was minted for <paramref name="address"/> in the current or
    /// the previous epoch; <paramref name="validUntil"/> is then the unix second it stops verifying.
    /// Compared in fixed time.
    /// </summary>
    public bool Verify(UInt128 cookie, UInt128 address, long unixSeconds, out long validUntil)
    {
        Span<byte> presented = stackalloc byte[CookieBytes];
        Span<byte> expected = stackalloc byte[CookieBytes];
        BinaryPrimitives.WriteUInt128BigEndian(presented, cookie);
        long epoch = unixSeconds / EpochSeconds;
        for (long e = epoch; e >= epoch - 1; e--)
        {
            Compute(address, e, expected);
            if (CryptographicOperations.FixedTimeEquals(presented, expected))
            {
                validUntil = (e + 2) * EpochSeconds;
                return true;
            }
        }
        validUntil = 0;
        return false;
    }

    private void Compute(UInt128 address, long epoch, Span<byte> cookie)
    {
        Span<byte> input = stackalloc byte[4 + 16];
        BinaryPrimitives.WriteUInt32BigEndian(input, unchecked((uint)epoch));
        BinaryPrimitives.WriteUInt128BigEndian(input[4..], address);
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.TryHashData(_secret, input, mac, out _);
        mac[..CookieBytes].CopyTo(cookie);
    }
}
