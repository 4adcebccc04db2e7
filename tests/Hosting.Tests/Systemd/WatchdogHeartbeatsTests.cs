namespace Replicator.Hosting.Systemd.Tests;

public class WatchdogHeartbeatsTests
{
    [Fact]
    public void TakeStalled_NewlyRegistered_PassesFirstCheckOnly()
    {
        var heartbeats = new WatchdogHeartbeats();
        heartbeats.Register("loop");

        Assert.Empty(heartbeats.TakeStalled());
        Assert.Equal(["loop"], heartbeats.TakeStalled());
    }

    [Fact]
    public void TakeStalled_OneLoopBeatsOneDoesNot_NamesTheSilentOne()
    {
        var heartbeats = new WatchdogHeartbeats();
        var busy = heartbeats.Register("busy");
        heartbeats.Register("silent");
        heartbeats.TakeStalled();

        busy.Beat();

        Assert.Equal(["silent"], heartbeats.TakeStalled());
    }

    [Fact]
    public void TakeStalled_ProbesEveryLoopAfterChecking()
    {
        var heartbeats = new WatchdogHeartbeats();
        Heartbeat? probed = null;
        // A probe that beats at once: it runs after the check, so it counts for the next one.
        probed = heartbeats.Register("probed", () => probed!.Beat());
        heartbeats.Register("throwing", () => throw new InvalidOperationException("queue closed"));

        heartbeats.TakeStalled();

        Assert.Equal(["throwing"], heartbeats.TakeStalled());
        Assert.Equal(["probed", "throwing"], heartbeats.Names());
    }
}
