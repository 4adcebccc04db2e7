using System.Diagnostics;

namespace Replicator.Benchmarks.Fleet;

/// <summary>
/// Counts the (VTEP, VNI) pairs whose list is not yet the target and remembers when the count last
/// reached zero: the moment the whole fleet converged. That moment is the arrival time (the kernel's
/// receive timestamp) of the latest datagram that completed a pair, not the time the simulator got
/// round to it: what VTEPs with CPUs of their own would have seen. Updated by the receive thread
/// (one VTEP's pairs only under that VTEP's lock) and the phase controller, read by the controller.
/// </summary>
internal sealed class ConvergenceTracker(int pairs)
{
    private int _incomplete = pairs;
    private long _latestCompletion;
    private long _convergedAt;

    public int Pairs { get; } = pairs;

    public int Incomplete => Volatile.Read(ref _incomplete);

    /// <summary>Stopwatch timestamp of the arrival that last made every pair complete; 0 if never.</summary>
    public long ConvergedAt => Interlocked.Read(ref _convergedAt);

    /// <summary>A pair became complete with the datagram that arrived at <paramref name="arrivedAt"/> (Stopwatch timestamp).</summary>
    public void BecameComplete(long arrivedAt)
    {
        // Each pair's last completion is its latest, so the latest over all of them is when the last pair completed.
        long seen = Interlocked.Read(ref _latestCompletion);
        while (arrivedAt > seen)
        {
            long was = Interlocked.CompareExchange(ref _latestCompletion, arrivedAt, seen);
            if (was == seen) break;
            seen = was;
        }
        if (Interlocked.Decrement(ref _incomplete) == 0) Interlocked.Exchange(ref _convergedAt, Interlocked.Read(ref _latestCompletion));
    }

    public void BecameIncomplete() => Interlocked.Increment(ref _incomplete);
}
