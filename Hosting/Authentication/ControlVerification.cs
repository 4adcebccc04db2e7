namespace Replicator.Hosting.Authentication;

/// <summary>
/// The verdict on one incoming control datagram under an authentication policy. Everything but
/// <see cref="Ok"/> means "drop and count": the values map to the bounded <c>reason</c> tag of the
/// daemons' control-drop counters through <see cref="ControlVerificationTags"/>.
/// </summary>
public enum ControlVerification
{
    /// <summary>Signed with a listed key, fresh, and its nonce not seen before.</summary>
    Ok,

    /// <summary>No authentication trailer (flag clear, or too short to hold one).</summary>
    Unsigned,

    /// <summary>The trailer names a key id the key ring does not hold.</summary>
    UnknownKey,

    /// <summary>The MAC does not match: altered in transit, or signed with another key under this id.</summary>
    BadSignature,

    /// <summary>The timestamp lies outside the accepted clock-skew window.</summary>
    Stale,

    /// <summary>The nonce was already accepted within the window: a replayed datagram.</summary>
    Replayed,
}
