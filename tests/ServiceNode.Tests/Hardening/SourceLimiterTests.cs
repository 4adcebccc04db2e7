using System.Net;
using Replicator.Protocol.Control;
using Replicator.ServiceNode.Hardening;
using Replicator.TestSupport;

namespace Replicator.ServiceNode.Tests.Hardening;

public class SourceVniLimiterTests
{
    private static readonly IPAddress Source = IPAddress.Parse("192.0.2.7");

    private static RegisterMessage Register(uint hold, params uint[] vnis) =>
        new("node", hold, false, ResponseWanted.None, [.. vnis.Select(v => new VniAddresses(v, [Source]))]);

    [Fact]
    public void TryAdmit_OverCap_RefusedWholeUntilWithdrawalOrExpiry()
    {
        var time = new FakeTimeProvider();
        var limiter = new SourceVniLimiter(3, 1000, time);
        Assert.True(limiter.TryAdmit(Register(90, 1, 2), Source));
        Assert.False(limiter.TryAdmit(Register(90, 3, 4), Source)); // would be 4
        Assert.Equal(2, limiter.Pairs);                             // nothing of the refused one recorded
        Assert.True(limiter.TryAdmit(Register(90, 2, 3), Source));  // refresh of 2 + new 3 = 3
        Assert.True(limiter.TryAdmit(Register(0, 1), Source));      // withdraw 1
        Assert.True(limiter.TryAdmit(Register(90, 4), Source));
        Assert.False(limiter.TryAdmit(Register(90, 5), Source));
        time.Advance(TimeSpan.FromSeconds(91));                     // everything expired
        Assert.True(limiter.TryAdmit(Register(90, 5, 6, 7), Source));
        Assert.True(limiter.TryAdmit(Register(90, 8), IPAddress.Parse("192.0.2.8"))); // other sources count apart
    }

    [Fact]
    public void TryAdmit_OneVniTwoAddresses_CountsOnceAndStaysUntilBothWithdrawn()
    {
        var limiter = new SourceVniLimiter(1, 1000, new FakeTimeProvider());
        var a = IPAddress.Parse("198.51.100.1");
        var b = IPAddress.Parse("198.51.100.2");
        Assert.True(limiter.TryAdmit(new RegisterMessage("n", 90, false, ResponseWanted.None, [new VniAddresses(10, [a, b])]), Source));
        Assert.True(limiter.TryAdmit(new RegisterMessage("n", 0, false, ResponseWanted.None, [new VniAddresses(10, [a])]), Source));
        Assert.False(limiter.TryAdmit(Register(90, 11), Source)); // VNI 10 still held through b
        Assert.True(limiter.TryAdmit(new RegisterMessage("n", 0, false, ResponseWanted.None, [new VniAddresses(10, [b])]), Source));
        Assert.True(limiter.TryAdmit(Register(90, 11), Source));
    }

    [Fact]
    public void TryAdmit_TotalPairsBounded_RefusesBeyondTheBound()
    {
        var limiter = new SourceVniLimiter(100, 10, new FakeTimeProvider());
        for (int i = 0; i < 10; i++) Assert.True(limiter.TryAdmit(Register(90, (uint)i), IPAddress.Parse($"203.0.113.{i + 1}")));
        Assert.False(limiter.TryAdmit(Register(90, 99), IPAddress.Parse("203.0.113.200")));
        Assert.Equal(10, limiter.Pairs);
    }

    [Fact]
    public void TryAdmit_Disabled_AdmitsEverything()
    {
        var limiter = new SourceVniLimiter(0, 1, new FakeTimeProvider());
        Assert.True(limiter.TryAdmit(Register(90, [.. Enumerable.Range(1, 5000).Select(i => (uint)i)]), Source));
        Assert.Equal(0, limiter.Pairs);
    }
}
