using System.Net;
using Microsoft.Extensions.Time.Testing;
using Replicator.Protocol.Control;
using Replicator.ServiceNode.Control;
using Replicator.ServiceNode.Hardening;

namespace Replicator.ServiceNode.Tests.Hardening;

public class SourceLimiterTests
{
    private static readonly IPAddress Source = IPAddress.Parse("192.0.2.7");

    private static RegisterMessage Register(uint hold, params uint[] vnis) =>
        new("node", hold, false, WireResponseWanted.None, [.. vnis.Select(v => new VniAddresses(v, [Source]))]);

    private static RegisterMessage Addresses(uint vni, int count, int first = 1) =>
        new("node", 90, false, WireResponseWanted.None,
            [new VniAddresses(vni, [.. Enumerable.Range(first, count).Select(i => IPAddress.Parse($"2001:db8::{i:x}"))])]);

    [Fact]
    public void TryAdmit_OverVniCap_RefusedWholeUntilWithdrawalOrExpiry()
    {
        var time = new FakeTimeProvider();
        var limiter = new SourceLimiter(3, 0, 1000, time);
        Assert.Null(limiter.TryAdmit(Register(90, 1, 2), Source));
        Assert.Equal(ControlDropReason.VniLimit, limiter.TryAdmit(Register(90, 3, 4), Source)); // would be 4
        Assert.Equal(2, limiter.Pairs);                                                       // nothing of the refused one recorded
        Assert.Null(limiter.TryAdmit(Register(90, 2, 3), Source));  // refresh of 2 + new 3 = 3
        Assert.Null(limiter.TryAdmit(Register(0, 1), Source));      // withdraw 1
        Assert.Null(limiter.TryAdmit(Register(90, 4), Source));
        Assert.Equal(ControlDropReason.VniLimit, limiter.TryAdmit(Register(90, 5), Source));
        time.Advance(TimeSpan.FromSeconds(91));                     // everything expired
        Assert.Null(limiter.TryAdmit(Register(90, 5, 6, 7), Source));
        Assert.Null(limiter.TryAdmit(Register(90, 8), IPAddress.Parse("192.0.2.8"))); // other sources count apart
    }

    [Fact]
    public void TryAdmit_OneVniTwoAddresses_CountsOnceAndStaysUntilBothWithdrawn()
    {
        var limiter = new SourceLimiter(1, 0, 1000, new FakeTimeProvider());
        var a = IPAddress.Parse("198.51.100.1");
        var b = IPAddress.Parse("198.51.100.2");
        Assert.Null(limiter.TryAdmit(new RegisterMessage("n", 90, false, WireResponseWanted.None, [new VniAddresses(10, [a, b])]), Source));
        Assert.Null(limiter.TryAdmit(new RegisterMessage("n", 0, false, WireResponseWanted.None, [new VniAddresses(10, [a])]), Source));
        Assert.Equal(ControlDropReason.VniLimit, limiter.TryAdmit(Register(90, 11), Source)); // VNI 10 still held through b
        Assert.Null(limiter.TryAdmit(new RegisterMessage("n", 0, false, WireResponseWanted.None, [new VniAddresses(10, [b])]), Source));
        Assert.Null(limiter.TryAdmit(Register(90, 11), Source));
    }

    [Fact]
    public void TryAdmit_OverEntryCapInFewVnis_RefusedAsEntryLimitNotVniLimit()
    {
        var limiter = new SourceLimiter(4096, 100, 1_000_000, new FakeTimeProvider());
        Assert.Null(limiter.TryAdmit(Addresses(1, 60), Source));
        Assert.Equal(ControlDropReason.EntryLimit, limiter.TryAdmit(Addresses(2, 41), Source)); // 101 entries in 2 VNIs
        Assert.Null(limiter.TryAdmit(Addresses(2, 40), Source));                                // exactly 100
        Assert.Null(limiter.TryAdmit(Addresses(1, 60), Source));                                // a refresh adds nothing
        Assert.Equal(ControlDropReason.EntryLimit, limiter.TryAdmit(Register(90, 3), Source));
        Assert.Null(limiter.TryAdmit(Register(90, 3), IPAddress.Parse("192.0.2.8")));           // another source is not affected
        Assert.Equal(101, limiter.Pairs);
    }

    [Fact]
    public void TryAdmit_AllSourcesTogetherFillTheTable_RefusedAsTableFull()
    {
        var limiter = new SourceLimiter(100, 100, 10, new FakeTimeProvider());
        for (int i = 0; i < 10; i++) Assert.Null(limiter.TryAdmit(Register(90, (uint)i), IPAddress.Parse($"203.0.113.{i + 1}")));
        Assert.Equal(ControlDropReason.TableFull, limiter.TryAdmit(Register(90, 99), IPAddress.Parse("203.0.113.200")));
        Assert.Equal(10, limiter.Pairs);
    }

    [Fact]
    public void TryAdmit_OneSourceAtItsEntryCap_LeavesTheTableToOthers()
    {
        // The probe-10 shape: one source registering as much as it can cannot take the global table.
        var limiter = new SourceLimiter(4096, 8192, 10_000, new FakeTimeProvider());
        int refused = 0;
        for (uint vni = 1; vni <= 100; vni++)
            if (limiter.TryAdmit(Addresses(vni, 500), Source) is not null) refused++;
        Assert.Equal(8000, limiter.Pairs); // 16 registrations of 500; the 17th would pass 8192
        Assert.Equal(84, refused);
        Assert.Null(limiter.TryAdmit(Register(90, 7), IPAddress.Parse("192.0.2.99")));
    }

    [Fact]
    public void TryAdmit_Disabled_AdmitsEverything()
    {
        var limiter = new SourceLimiter(0, 0, 1, new FakeTimeProvider());
        Assert.Null(limiter.TryAdmit(Register(90, [.. Enumerable.Range(1, 5000).Select(i => (uint)i)]), Source));
        Assert.Equal(0, limiter.Pairs);
    }
}
