using System.Collections.Frozen;
using System.Security.Cryptography;
using Replicator.Protocol.Control;

namespace Replicator.Hosting.Authentication;

/// <summary>
/// The shared keys a node knows, by key id, and the primary key it signs with. Every listed key
/// verifies, so keys rotate without downtime: add the new key everywhere, make it primary
/// everywhere, then remove the old one (docs/security.md). The key bytes never leave
/// this object: callers sign and verify through it, and <see cref="ToString"/> names ids only.
/// Immutable and thread-safe.
/// </summary>
public sealed class AuthKeyRing
{
    /// <summary>Shortest accepted key: 128 bits, the security level of the HMAC-SHA256 tag we rely on.</summary>
    public const int MinimumKeyBytes = 16;

    /// <summary>Longest accepted key: HMAC-SHA256 hashes anything longer than its 64-byte block, so more buys nothing.</summary>
    public const int MaximumKeyBytes = 64;

    private readonly FrozenDictionary<uint, byte[]> _keys;

    /// <param name="keys">Key id -> key bytes (copied).</param>
    /// <param name="primaryKeyId">The id outgoing messages are signed with; must be among <paramref name="keys"/>.</param>
    /// <exception cref="ArgumentException">No keys, a key of the wrong length, or an unknown primary id (the message never contains key bytes).</exception>
    public AuthKeyRing(IEnumerable<KeyValuePair<uint, byte[]>> keys, uint primaryKeyId)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var copy = new Dictionary<uint, byte[]>();
        foreach (var (id, key) in keys)
        {
            ArgumentNullException.ThrowIfNull(key);
            if (key.Length is < MinimumKeyBytes or > MaximumKeyBytes)
                throw new ArgumentException($"key {id} is {key.Length} bytes; {MinimumKeyBytes}..{MaximumKeyBytes} required", nameof(keys));
            if (!copy.TryAdd(id, (byte[])key.Clone())) throw new ArgumentException($"key id {id} is listed twice", nameof(keys));
        }
        if (copy.Count == 0) throw new ArgumentException("a key ring needs at least one key", nameof(keys));
        if (!copy.ContainsKey(primaryKeyId)) throw new ArgumentException($"primary key id {primaryKeyId} is not among the keys", nameof(primaryKeyId));
        _keys = copy.ToFrozenDictionary();
        PrimaryKeyId = primaryKeyId;
        KeyIds = [.. _keys.Keys.Order()];
    }

    /// <summary>The id of the key outgoing messages are signed with.</summary>
    public uint PrimaryKeyId { get; }

    /// <summary>Every key id that verifies, ascending.</summary>
    public IReadOnlyList<uint> KeyIds { get; }

    public int Count => _keys.Count;

    public bool Contains(uint keyId) => _keys.ContainsKey(keyId);

    /// <summary>
    /// Stamps the reserved trailer of <paramref name="datagram"/> (encoded with
    /// <c>reserveAuthenticationTrailer: true</c>) with the primary key id, <paramref name="time"/>'s
    /// clock and a random nonce, and fills in the MAC.
    /// </summary>
    /// <exception cref="ArgumentException">The datagram has no reserved trailer.</exception>
    public AuthenticationTrailer Sign(Span<byte> datagram, TimeProvider time) =>
        ControlAuthenticator.Sign(datagram, _keys[PrimaryKeyId], PrimaryKeyId, time);

    /// <summary>Signs every datagram of a split message (see <see cref="Sign(Span{byte}, TimeProvider)"/>).</summary>
    public void SignAll(IEnumerable<byte[]> datagrams, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(datagrams);
        foreach (byte[] datagram in datagrams) Sign(datagram, time);
    }

    /// <summary>Signs with an explicit trailer (tests, vectors); the trailer's key id selects the key.</summary>
    /// <exception cref="ArgumentException">Unknown key id or no reserved trailer.</exception>
    public void Sign(Span<byte> datagram, AuthenticationTrailer trailer)
    {
        if (!_keys.TryGetValue(trailer.KeyId, out byte[]? key)) throw new ArgumentException($"key id {trailer.KeyId} is not in the key ring", nameof(trailer));
        ControlAuthenticator.Sign(datagram, key, trailer);
    }

    /// <summary>
    /// Checks the MAC of a datagram that carries a trailer with key id <paramref name="keyId"/>:
    /// <see cref="ControlVerification.UnknownKey"/>, <see cref="ControlVerification.BadSignature"/>
    /// or <see cref="ControlVerification.Ok"/>. Fixed-time comparison; no allocation; never throws.
    /// </summary>
    public ControlVerification VerifyMac(ReadOnlySpan<byte> datagram, uint keyId)
    {
        if (!_keys.TryGetValue(keyId, out byte[]? key)) return ControlVerification.UnknownKey;
        return ControlAuthenticator.Verify(datagram, key) ? ControlVerification.Ok : ControlVerification.BadSignature;
    }

    /// <summary>Names the key ids and the primary; never key bytes.</summary>
    public override string ToString() => $"AuthKeyRing({Count} keys: ids {string.Join(',', KeyIds)}; primary {PrimaryKeyId})";

    /// <summary>A fresh random key of <paramref name="bytes"/> bytes (tools, tests, key generation).</summary>
    public static byte[] GenerateKey(int bytes = 32)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bytes, MinimumKeyBytes);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(bytes, MaximumKeyBytes);
        return RandomNumberGenerator.GetBytes(bytes);
    }
}
