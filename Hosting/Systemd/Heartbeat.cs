namespace Replicator.Hosting.Systemd;

/// <summary>
/// One loop's sign of life for the systemd watchdog: the loop calls <see cref="Beat"/> once per
/// iteration (per batch, per receive timeout, never per datagram); <see cref="WatchdogHeartbeats"/>
/// checks that the count moved between two watchdog ticks. A counter rather than a timestamp keeps
/// the clock out of the hot loop.
/// </summary>
public sealed class Heartbeat
{
    private long _beats;

    internal Heartbeat(string name, Action? probe)
    {
        Name = name;
        Probe = probe;
    }

    /// <summary>The loop's name, as logged when it stalls ("registry loop", "replication worker 0").</summary>
    public string Name { get; }

    /// <summary>
    /// Called once per watchdog tick to make an idle loop run an iteration (post it a no-op), so a
    /// loop that only wakes for work still beats. Null for loops that wake by themselves.
    /// </summary>
    internal Action? Probe { get; }

    internal long Beats => Interlocked.Read(ref _beats);

    /// <summary>Records that the loop completed an iteration.</summary>
    public void Beat() => Interlocked.Increment(ref _beats);
}
