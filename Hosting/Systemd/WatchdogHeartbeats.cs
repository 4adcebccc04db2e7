namespace Replicator.Hosting.Systemd;

/// <summary>
/// The loops whose progress the systemd watchdog vouches for. Each loop registers a
/// <see cref="Heartbeat"/>; at every tick <see cref="SystemdWatchdogService"/> asks which loops
/// made no progress since the previous tick and sends <c>WATCHDOG=1</c> only when none. A loop
/// registered between two ticks passes its first check.
/// </summary>
public sealed class WatchdogHeartbeats
{
    private readonly object _gate = new();
    private readonly List<Tracked> _tracked = [];

    /// <summary>Registers a loop. <paramref name="probe"/>: see <see cref="Heartbeat.Probe"/>.</summary>
    public Heartbeat Register(string name, Action? probe = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var heartbeat = new Heartbeat(name, probe);
        lock (_gate)
        {
            _tracked.Add(new Tracked(heartbeat));
        }

        return heartbeat;
    }

    /// <summary>The names of the loops registered so far, in registration order.</summary>
    public IReadOnlyList<string> Names()
    {
        lock (_gate)
        {
            return [.. _tracked.Select(t => t.Heartbeat.Name)];
        }
    }

    /// <summary>
    /// The loops whose count has not moved since the previous call (empty when every loop made
    /// progress), then probes every loop for the next call. Called by the watchdog only.
    /// </summary>
    internal IReadOnlyList<string> TakeStalled()
    {
        Tracked[] tracked;
        lock (_gate)
        {
            tracked = [.. _tracked];
        }

        var stalled = new List<string>();
        foreach (var t in tracked)
        {
            long beats = t.Heartbeat.Beats;
            if (beats == t.LastSeen)
            {
                stalled.Add(t.Heartbeat.Name);
            }

            t.LastSeen = beats;
        }

        foreach (var t in tracked)
        {
            // A probe only posts work to its loop; one that throws (the loop has shut its queue)
            // leaves that loop stalled, which is the verdict it deserves.
            try
            {
                t.Heartbeat.Probe?.Invoke();
            }
            catch (Exception e) when (e is InvalidOperationException or ObjectDisposedException)
            {
            }
        }

        return stalled;
    }

    private sealed class Tracked(Heartbeat heartbeat)
    {
        public Heartbeat Heartbeat { get; } = heartbeat;

        // -1: never checked, so a loop registered between two ticks is not judged on half a period.
        public long LastSeen { get; set; } = -1;
    }
}
