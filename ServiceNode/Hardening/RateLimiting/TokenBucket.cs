namespace Replicator.ServiceNode.Hardening.RateLimiting;

/// <summary>One token bucket, refilled lazily from the elapsed monotonic time when it is asked.</summary>
internal struct TokenBucket
{
    public double Tokens;
    public long LastTimestamp;

    public static TokenBucket Full(RateLimit limit, long now) => new() { Tokens = limit.Burst, LastTimestamp = now };

    /// <summary>Adds the tokens earned since the last refill, up to <paramref name="burst"/>; <paramref name="tokensPerTick"/> is the rate in timestamp units.</summary>
    public void Refill(long now, double tokensPerTick, double burst)
    {
        long elapsed = now - LastTimestamp;
        if (elapsed > 0)
        {
            Tokens = Math.Min(burst, Tokens + elapsed * tokensPerTick);
            LastTimestamp = now;
        }
    }

    /// <summary>Takes one token if there is one; <paramref name="tokensPerTick"/> is the rate in timestamp units.</summary>
    public bool TryTake(long now, double tokensPerTick, int burst)
    {
        Refill(now, tokensPerTick, burst);
        if (Tokens >= 1)
        {
            Tokens -= 1;
            return true;
        }
        return false;
    }
}
