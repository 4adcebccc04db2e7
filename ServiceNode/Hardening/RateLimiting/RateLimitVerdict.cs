namespace Replicator.ServiceNode.Hardening.RateLimiting;

/// <summary>What <see cref="ControlRateLimiter.TryAcquire(UInt128)"/> decided.</summary>
internal enum RateLimitVerdict
{
    Allowed,

    /// <summary>This source sent more than its share.</summary>
    SourceLimited,

    /// <summary>All sources together sent more than the global limit.</summary>
    GlobalLimited,
}
