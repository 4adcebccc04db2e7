using System.Net;

namespace Replicator.ServiceNode.Hardening.RateLimiting;

/// <summary>
/// Rate limits for incoming control messages: a bucket per source address (bounded table,
/// <see cref="SourceRateLimiter"/>) and one global bucket. The per-source bucket is asked first,
/// so a source over its limit does not use up the global budget the others share. Checks
/// allocate nothing; thread-safe. Run it before the (comparatively costly) MAC check and decode.
/// </summary>
internal sealed class ControlRateLimiter
{
    private readonly SourceRateLimiter _perSource;
    private readonly RateLimit _global;
    private readonly double _globalTokensPerTick;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private TokenBucket _globalBucket;

    public ControlRateLimiter(RateLimit perSource, RateLimit global, int maxSources, TimeProvider time)
    {
        _time = time ?? throw new ArgumentNullException(nameof(time));
        if (!global.IsUnlimited) ArgumentOutOfRangeException.ThrowIfLessThan(global.Burst, 1, nameof(global));
        _perSource = new SourceRateLimiter(perSource, maxSources, time);
        _global = global;
        _globalTokensPerTick = global.PerSecond / time.TimestampFrequency;
        _globalBucket = TokenBucket.Full(global, time.GetTimestamp());
    }

    public SourceRateLimiter PerSource => _perSource;

    public RateLimit Global => _global;

    public RateLimitVerdict TryAcquire(IPAddress source) => TryAcquire(SourceKey.From(source));

    public RateLimitVerdict TryAcquire(UInt128 source)
    {
        if (!_perSource.TryAcquire(source)) return RateLimitVerdict.SourceLimited;
        if (_global.IsUnlimited) return RateLimitVerdict.Allowed;
        long now = _time.GetTimestamp();
        lock (_gate)
        {
            return _globalBucket.TryTake(now, _globalTokensPerTick, _global.Burst) ? RateLimitVerdict.Allowed : RateLimitVerdict.GlobalLimited;
        }
    }
}
