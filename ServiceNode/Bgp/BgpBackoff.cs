namespace Replicator.ServiceNode.Bgp;

/// <summary>
/// Bounded exponential back-off with jitter between connection attempts: the first wait is
/// <c>ConnectRetry</c>, each failure doubles it up to <c>ConnectRetryMax</c>, and each wait is
/// drawn from 75-100 % of that (RFC 4271 §10 asks for jitter so peers do not retry in step).
/// A session that reached Established starts over.
/// </summary>
internal sealed class BgpBackoff(TimeSpan first, TimeSpan max, Random random)
{
    private readonly TimeSpan _first = first;
    private TimeSpan _next = first;

    public TimeSpan Next()
    {
        TimeSpan bound = _next;
        _next = TimeSpan.FromTicks(Math.Min(max.Ticks, bound.Ticks * 2));
        return TimeSpan.FromTicks((long)(bound.Ticks * (0.75 + 0.25 * random.NextDouble())));
    }

    public void Reset() => _next = _first;
}
