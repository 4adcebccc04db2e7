using Replicator.Linux.Native;

namespace Replicator.Linux.Netlink;

/// <summary>
/// The full dump a watcher takes when it subscribes and after it lost notifications (ENOBUFS): heavy
/// churn (hundreds of links or addresses at once) can interrupt every attempt of a dump
/// (NLM_F_DUMP_INTR); the churn ends, so back off and dump again for at most <see cref="Patience"/>
/// instead of ending the watch.
/// </summary>
public static class ResyncDump
{
    /// <summary>How long a resync keeps retrying a dump that churn interrupts before it gives up.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Runs <paramref name="dump"/> until it succeeds, fails otherwise, <paramref name="stopping"/> says
    /// so, or <see cref="Patience"/> is spent; returns the items. Throws
    /// <see cref="DumpInterruptedException"/> or <see cref="NativeException"/> naming <paramref name="request"/>.
    /// </summary>
    public static IReadOnlyList<T> Run<T>(Func<DumpResult<T>> dump, Func<bool> stopping, string request)
    {
        ArgumentNullException.ThrowIfNull(dump);
        ArgumentNullException.ThrowIfNull(stopping);
        var result = dump();
        var delay = TimeSpan.FromMilliseconds(20);
        var waited = TimeSpan.Zero;
        while (!result.IsSuccess && result.Status.DumpInterrupted && !stopping() && waited < Patience)
        {
            Thread.Sleep(delay);
            waited += delay;
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromMilliseconds(500).Ticks));
            result = dump();
        }
        if (result.IsSuccess) return result.Items;
        if (result.Status.DumpInterrupted) throw new DumpInterruptedException(request, NetlinkSocket.DumpAttempts);
        throw new NativeException($"{request} dump{(result.Status.ExtendedAck is { } m ? $" ({m})" : "")}", result.Status.Errno);
    }
}
