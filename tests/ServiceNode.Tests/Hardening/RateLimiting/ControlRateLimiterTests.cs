using System.Net;
using Microsoft.Extensions.Time.Testing;
using Replicator.ServiceNode.Hardening.RateLimiting;

namespace Replicator.ServiceNode.Tests.Hardening.RateLimiting;

public class ControlRateLimiterTests
{
    [Fact]
    public void TryAcquire_OneSourceOverItsLimit_SourceLimitedWithoutSpendingGlobal()
    {
        var time = new FakeTimeProvider();
        var limiter = new ControlRateLimiter(new RateLimit(1, 2), new RateLimit(1, 4), 64, time);
        var a = IPAddress.Parse("192.0.2.1");
        Assert.Equal(RateLimitVerdict.Allowed, limiter.TryAcquire(a));
        Assert.Equal(RateLimitVerdict.Allowed, limiter.TryAcquire(a));
        for (int i = 0; i < 10; i++) Assert.Equal(RateLimitVerdict.SourceLimited, limiter.TryAcquire(a));
        // Two global tokens are left for everyone else.
        Assert.Equal(RateLimitVerdict.Allowed, limiter.TryAcquire(IPAddress.Parse("192.0.2.2")));
        Assert.Equal(RateLimitVerdict.Allowed, limiter.TryAcquire(IPAddress.Parse("192.0.2.3")));
        Assert.Equal(RateLimitVerdict.GlobalLimited, limiter.TryAcquire(IPAddress.Parse("192.0.2.4")));
    }

    [Fact]
    public void TryAcquire_SpoofedSourcesFlood_GlobalBucketHolds()
    {
        var time = new FakeTimeProvider();
        var limiter = new ControlRateLimiter(new RateLimit(10, 10), new RateLimit(1000, 1000), 256, time);
        int allowed = 0;
        for (uint i = 0; i < 100_000; i++)
        {
            if (limiter.TryAcquire(SourceKey.From(IPAddress.Parse("2001:db8::").GetAddressBytes()) + i) == RateLimitVerdict.Allowed) allowed++;
            if (i % 1000 == 999) time.Advance(TimeSpan.FromMilliseconds(100)); // 10 s in total
        }
        Assert.InRange(allowed, 1000, 1000 + 10 * 1000); // burst + rate x time
        Assert.Equal(256, limiter.PerSource.Count);
    }

    [Fact]
    public void TryAcquire_BothUnlimited_AlwaysAllowed()
    {
        var limiter = new ControlRateLimiter(RateLimit.Unlimited, RateLimit.Unlimited, 1, new FakeTimeProvider());
        for (int i = 0; i < 1000; i++) Assert.Equal(RateLimitVerdict.Allowed, limiter.TryAcquire((UInt128)i));
    }

    [Fact]
    public void PerSecondWithBurst_RoundsBurstUp()
    {
        Assert.Equal(new RateLimit(2.5, 3), RateLimit.PerSecondWithBurst(2.5));
        Assert.Equal(new RateLimit(100, 200), RateLimit.PerSecondWithBurst(100, 2));
        Assert.True(RateLimit.PerSecondWithBurst(0).IsUnlimited);
    }
}
