using System.Net;
using Microsoft.Extensions.Time.Testing;
using Replicator.ServiceNode.Hardening.RateLimiting;

namespace Replicator.ServiceNode.Tests.Hardening.RateLimiting;

public class SourceRateLimiterTests
{
    private static readonly UInt128 A = SourceKey.From(IPAddress.Parse("192.0.2.1"));
    private static readonly UInt128 B = SourceKey.From(IPAddress.Parse("192.0.2.2"));

    [Fact]
    public void TryAcquire_BurstThenRefillAtRate()
    {
        var time = new FakeTimeProvider();
        var limiter = new SourceRateLimiter(new RateLimit(10, 5), 16, time);
        for (int i = 0; i < 5; i++) Assert.True(limiter.TryAcquire(A));
        Assert.False(limiter.TryAcquire(A));
        Assert.True(limiter.TryAcquire(B)); // other sources unaffected
        time.Advance(TimeSpan.FromMilliseconds(100));
        Assert.True(limiter.TryAcquire(A));
        Assert.False(limiter.TryAcquire(A));
        time.Advance(TimeSpan.FromHours(1)); // refill caps at the burst
        int granted = 0;
        while (limiter.TryAcquire(A)) granted++;
        Assert.Equal(5, granted);
    }

    [Fact]
    public void TryAcquire_MoreSourcesThanCapacity_EvictsLeastRecentlySeen()
    {
        var time = new FakeTimeProvider();
        var limiter = new SourceRateLimiter(new RateLimit(1, 1), 3, time);
        UInt128[] s = [.. Enumerable.Range(1, 4).Select(i => SourceKey.From(IPAddress.Parse($"198.51.100.{i}")))];
        Assert.True(limiter.TryAcquire(s[0]));
        Assert.True(limiter.TryAcquire(s[1]));
        Assert.True(limiter.TryAcquire(s[2]));
        Assert.False(limiter.TryAcquire(s[0])); // s0 now most recent, s1 the oldest
        Assert.True(limiter.TryAcquire(s[3]));  // evicts s1
        Assert.Equal(3, limiter.Count);
        Assert.Equal(1, limiter.Evictions);
        Assert.False(limiter.TryAcquire(s[0])); // still tracked, still empty
        Assert.False(limiter.TryAcquire(s[2]));
        Assert.True(limiter.TryAcquire(s[1]));  // was evicted: starts afresh (and evicts s3)
        Assert.Equal(2, limiter.Evictions);
    }

    [Fact]
    public void TryAcquire_ManySources_TableBoundedAndNoAllocation()
    {
        var time = new FakeTimeProvider();
        var limiter = new SourceRateLimiter(new RateLimit(100, 10), 1000, time);
        for (uint i = 0; i < 2000; i++) limiter.TryAcquire(i);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (uint i = 0; i < 100_000; i++) limiter.TryAcquire(i * 7919u);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(1000, limiter.Count);
    }

    [Fact]
    public void TryAcquire_Unlimited_AlwaysTrueAndTracksNothing()
    {
        var limiter = new SourceRateLimiter(RateLimit.Unlimited, 4, new FakeTimeProvider());
        for (int i = 0; i < 100; i++) Assert.True(limiter.TryAcquire(A));
        Assert.Equal(0, limiter.Count);
    }

    [Fact]
    public void SourceKey_Ipv4AndMappedIpv6_AreOneSource()
    {
        Assert.Equal(A, SourceKey.From(IPAddress.Parse("::ffff:192.0.2.1")));
        Assert.NotEqual(A, SourceKey.From(IPAddress.Parse("2001:db8::1")));
        Assert.Equal(IPAddress.Parse("192.0.2.1"), SourceKey.ToAddress(A));
        Assert.Equal(IPAddress.Parse("2001:db8::1"), SourceKey.ToAddress(SourceKey.From(IPAddress.Parse("2001:db8::1"))));
    }
}
