using Microsoft.Extensions.Time.Testing;
using Replicator.Hosting.Authentication;

namespace Replicator.Hosting.Tests.Authentication;

public class ReplayGuardTests
{
    private static readonly TimeSpan Skew = TimeSpan.FromSeconds(30);

    private static long Now(FakeTimeProvider time) => time.GetUtcNow().ToUnixTimeMilliseconds();

    [Fact]
    public void Check_SameNonceTwice_SecondIsReplayed()
    {
        var time = new FakeTimeProvider();
        var guard = new ReplayGuard(time, Skew);
        Assert.Equal(ReplayVerdict.Fresh, guard.Check(Now(time), 1));
        Assert.Equal(ReplayVerdict.Replayed, guard.Check(Now(time), 1));
        Assert.Equal(ReplayVerdict.Fresh, guard.Check(Now(time), 2));
    }

    [Theory]
    [InlineData(-30_001, ReplayVerdict.Stale)]
    [InlineData(-30_000, ReplayVerdict.Fresh)]
    [InlineData(30_000, ReplayVerdict.Fresh)]
    [InlineData(30_001, ReplayVerdict.Stale)]
    public void Check_TimestampAtWindowEdges_FreshInsideStaleOutside(long offsetMs, ReplayVerdict expected)
    {
        var time = new FakeTimeProvider();
        Assert.Equal(expected, new ReplayGuard(time, Skew).Check(Now(time) + offsetMs, 5));
    }

    [Fact]
    public void Check_ReplayAfterNonceForgotten_IsStaleNeverFresh()
    {
        var time = new FakeTimeProvider();
        var guard = new ReplayGuard(time, Skew);
        long stamp = Now(time) + 30_000; // a sender whose clock runs 30 s ahead: the longest-lived message
        Assert.Equal(ReplayVerdict.Fresh, guard.Check(stamp, 7));
        for (int s = 1; s <= 120; s++)
        {
            time.Advance(TimeSpan.FromSeconds(1));
            Assert.NotEqual(ReplayVerdict.Fresh, guard.Check(stamp, 7));
        }
        Assert.Equal(0, guard.Count); // forgotten after 2 x skew
    }

    [Fact]
    public void Check_ManyMessagesOverTime_MemoryStaysWithinRetention()
    {
        var time = new FakeTimeProvider();
        var guard = new ReplayGuard(time, Skew, capacity: 10_000);
        UInt128 nonce = 0;
        for (int step = 0; step < 600; step++) // 10 minutes, 10 messages a second
        {
            for (int i = 0; i < 10; i++) Assert.Equal(ReplayVerdict.Fresh, guard.Check(Now(time), ++nonce));
            time.Advance(TimeSpan.FromMilliseconds(1000));
        }
        Assert.InRange(guard.Count, 1, 610); // about 2 x 30 s of messages
        Assert.Equal(0, guard.ForcedEvictions);
    }

    [Fact]
    public void Check_OverCapacity_EvictsOldestAndRefusesItsReplay()
    {
        var time = new FakeTimeProvider();
        var guard = new ReplayGuard(time, Skew, capacity: 4);
        long t0 = Now(time);
        for (int i = 0; i < 4; i++) Assert.Equal(ReplayVerdict.Fresh, guard.Check(t0 + i, (UInt128)i));
        Assert.Equal(ReplayVerdict.Fresh, guard.Check(t0 + 10, 100)); // forces nonce 0 (stamp t0) out
        Assert.Equal(1, guard.ForcedEvictions);
        Assert.Equal(4, guard.Count);
        Assert.Equal(ReplayVerdict.Stale, guard.Check(t0, 0)); // replay of the forgotten one: refused
        Assert.Equal(ReplayVerdict.Replayed, guard.Check(t0 + 1, 1));
        Assert.Equal(ReplayVerdict.Fresh, guard.Check(t0 + 20, 101));
    }

    [Fact]
    public void Check_WallClockSteppedBack_ForgottenNonceStillRefused()
    {
        var time = new SteppableClock();
        var guard = new ReplayGuard(time, Skew);
        long stamp = time.Wall.ToUnixTimeMilliseconds();
        Assert.Equal(ReplayVerdict.Fresh, guard.Check(stamp, 9));
        time.Elapse(TimeSpan.FromSeconds(61));
        Assert.Equal(ReplayVerdict.Fresh, guard.Check(time.Wall.ToUnixTimeMilliseconds(), 10)); // nonce 9 forgotten here
        time.Wall -= TimeSpan.FromSeconds(61); // NTP steps the wall clock back: stamp is "fresh" again
        Assert.Equal(ReplayVerdict.Stale, guard.Check(stamp, 9)); // the floor refuses it
    }

    /// <summary>Wall clock and monotonic clock moved independently.</summary>
    private sealed class SteppableClock : TimeProvider
    {
        public DateTimeOffset Wall = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        private long _ticks;

        public void Elapse(TimeSpan by) { Wall += by; _ticks += by.Ticks; }

        public override DateTimeOffset GetUtcNow() => Wall;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => _ticks;
    }

    [Fact]
    public void Constructor_BadArguments_Throw()
    {
        var time = new FakeTimeProvider();
        Assert.Throws<ArgumentOutOfRangeException>(() => new ReplayGuard(time, TimeSpan.Zero));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ReplayGuard(time, TimeSpan.FromHours(2)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ReplayGuard(time, Skew, 0));
    }
}
