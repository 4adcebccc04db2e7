namespace Replicator.Hosting.Authentication;

/// <summary>What <see cref="ReplayGuard.Check"/> decided about one authenticated message.</summary>
public enum ReplayVerdict
{
    /// <summary>Within the window and never seen: accepted, and its nonce remembered.</summary>
    Fresh,

    /// <summary>Timestamp outside the window (or older than a nonce the guard had to forget).</summary>
    Stale,

    /// <summary>The nonce is remembered from an earlier accepted message.</summary>
    Replayed,
}
