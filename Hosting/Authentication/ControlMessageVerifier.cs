using Replicator.Protocol.Control;

namespace Replicator.Hosting.Authentication;

/// <summary>
/// The receive-side authentication policy for control datagrams: a datagram is accepted only
/// when it carries a trailer, names a listed key, its MAC matches, its timestamp is within the
/// window and its nonce is new. The checks run cheapest-first, and the replay cache is touched
/// only after the MAC verified, so strangers cannot fill it. The key ring can be swapped at run
/// time (<see cref="Keys"/>) to rotate keys without a restart. No allocation; never throws for
/// bad input; thread-safe.
/// </summary>
public sealed class ControlMessageVerifier
{
    private volatile AuthKeyRing _keys;

    public ControlMessageVerifier(AuthKeyRing keys, ReplayGuard replayGuard)
    {
        _keys = keys ?? throw new ArgumentNullException(nameof(keys));
        ReplayGuard = replayGuard ?? throw new ArgumentNullException(nameof(replayGuard));
    }

    /// <summary>The keys that verify (and sign); replace the whole ring to rotate.</summary>
    public AuthKeyRing Keys
    {
        get => _keys;
        set => _keys = value ?? throw new ArgumentNullException(nameof(value));
    }

    public ReplayGuard ReplayGuard { get; }

    /// <summary>Decides on one raw datagram (header, body, trailer).</summary>
    public ControlVerification Verify(ReadOnlySpan<byte> datagram) => Verify(datagram, out _);

    /// <summary>As <see cref="Verify(ReadOnlySpan{byte})"/>, also returning the trailer when there is one.</summary>
    public ControlVerification Verify(ReadOnlySpan<byte> datagram, out AuthenticationTrailer trailer)
    {
        if (!ControlAuthenticator.TryReadTrailer(datagram, out trailer)) return ControlVerification.Unsigned;
        ControlVerification mac = _keys.VerifyMac(datagram, trailer.KeyId);
        if (mac != ControlVerification.Ok) return mac;
        return ReplayGuard.Check(trailer) switch
        {
            ReplayVerdict.Fresh => ControlVerification.Ok,
            ReplayVerdict.Replayed => ControlVerification.Replayed,
            _ => ControlVerification.Stale,
        };
    }
}
