using System.Diagnostics;

namespace Replicator.Benchmarks.Fleet;

/// <summary>
/// Counts the (VTEP, VNI) pairs whose list is not yet the target and remembers when the count last
/// reached zero: the moment the whole fleet converged. Updated by the receive callbacks (one VTEP's
/// pairs only under that VTEP's lock), read by the phase controller.
/// </summary>
internal sealed class ConvergenceTracker(int pairs)
{
    private int _incomplete = pairs;
    private long _convergedAt;

    public int Pairs { get; } = pairs;

    public int Incomplete => Volatile.Read(ref _incomplete);

    /// <summary>Stopwatch timestamp of the last time every pair became complete; 0 if never.</summary>
    public long ConvergedAt => Interlocked.Read(ref _convergedAt);

    public void BecameComplete()
    {
        if (Interlocked.Decrement(ref _incomplete) == 0) Interlocked.Exchange(ref _convergedAt, Stopwatch.GetTimestamp());
    }

    public void BecameIncomplete() => Interlocked.Increment(ref _incomplete);
}
