namespace Replicator.ServiceNode.Hardening.RateLimiting;

/// <summary>
/// A token-bucket limit: on average <paramref name="PerSecond"/> messages a second, in bursts of
/// up to <paramref name="Burst"/>. <see cref="PerSecond"/> 0 means unlimited.
/// </summary>
internal readonly record struct RateLimit(double PerSecond, int Burst)
{
    public static RateLimit Unlimited => default;

    public bool IsUnlimited => PerSecond <= 0;

    /// <summary>A limit of <paramref name="perSecond"/> with a burst of <paramref name="burstSeconds"/> seconds' worth (at least 1).</summary>
    public static RateLimit PerSecondWithBurst(double perSecond, double burstSeconds = 1) =>
        perSecond <= 0 ? Unlimited : new RateLimit(perSecond, (int)Math.Clamp(Math.Ceiling(perSecond * burstSeconds), 1, int.MaxValue));
}
