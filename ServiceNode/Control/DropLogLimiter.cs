namespace Replicator.ServiceNode.Control;

/// <summary>
/// Lets one log line per drop reason through per interval, counting the rest, so a flood of
/// garbage cannot flood the log (the metric still counts every datagram).
/// </summary>
internal sealed class DropLogLimiter(TimeProvider time, TimeSpan interval)
{
    private readonly object _gate = new();
    private readonly long[] _lastLogged = Enumerable.Repeat(long.MinValue, ControlDropReasons.Tags.Length).ToArray();
    private readonly long[] _suppressed = new long[ControlDropReasons.Tags.Length];

    /// <summary>True when this drop may be logged; <paramref name="suppressed"/> is how many were not logged since the last one.</summary>
    public bool ShouldLog(ControlDropReason reason, out long suppressed)
    {
        long now = time.GetTimestamp();
        int i = (int)reason;
        lock (_gate)
        {
            if (_lastLogged[i] != long.MinValue && time.GetElapsedTime(_lastLogged[i], now) < interval)
            {
                _suppressed[i]++;
                suppressed = 0;
                return false;
            }
            _lastLogged[i] = now;
            suppressed = _suppressed[i];
            _suppressed[i] = 0;
            return true;
        }
    }
}
