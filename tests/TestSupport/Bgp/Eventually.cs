using System.Diagnostics;

namespace Replicator.TestSupport.Bgp;

/// <summary>Waits for a condition with a generous deadline: BGP and FRR take seconds, and the machine may be busy.</summary>
public static class Eventually
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

    /// <summary>Polls <paramref name="condition"/> every 200 ms; on timeout throws with <paramref name="what"/> and <paramref name="detail"/>.</summary>
    public static async Task Until(Func<bool> condition, string what, TimeSpan? timeout = null, Func<string>? detail = null)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var clock = Stopwatch.StartNew();
        TimeSpan limit = timeout ?? DefaultTimeout;
        while (!condition())
        {
            if (clock.Elapsed > limit)
                throw new TimeoutException($"not within {limit.TotalSeconds:0} s: {what}{(detail is null ? "" : "\n" + detail())}");
            await Task.Delay(200).ConfigureAwait(false);
        }
    }
}
