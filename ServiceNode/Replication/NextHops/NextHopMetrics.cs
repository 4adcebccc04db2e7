using System.Diagnostics.Metrics;

namespace Replicator.ServiceNode.Replication.NextHops;

/// <summary>
/// The next-hop tracker's instruments, on the data plane's meter (<see cref="ReplicationMetrics.MeterName"/>):
/// observable instruments that read <see cref="NextHopCounters"/> when collected.
/// </summary>
internal sealed class NextHopMetrics
{
    private readonly object _gate = new();
    private NextHopCounters[] _trackers = [];

    public NextHopMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(ReplicationMetrics.MeterName);
        meter.CreateObservableGauge("vxsnd.dataplane.nexthops", ObserveByState, "{destination}",
            "Destinations whose next hop is tracked, by state: usable on the packet path, or why not.");
        meter.CreateObservableCounter("vxsnd.dataplane.nexthop.resolutions", () => Sum(static t => Volatile.Read(ref t.Resolutions)), "{lookup}",
            "Route lookups (RTM_GETROUTE) made by the next-hop tracker.");
        meter.CreateObservableCounter("vxsnd.dataplane.nexthop.resyncs", ObserveResyncs, "{resync}",
            "Times the next-hop tracker looked up every destination again, by reason.");
    }

    /// <summary>Adds a tracker's counters; never removed, so counters do not go backwards.</summary>
    public void Register(NextHopCounters counters)
    {
        ArgumentNullException.ThrowIfNull(counters);
        lock (_gate) _trackers = [.. _trackers, counters];
    }

    private long Sum(Func<NextHopCounters, long> field)
    {
        long sum = 0;
        foreach (var t in Volatile.Read(ref _trackers)) sum += field(t);
        return sum;
    }

    private IEnumerable<Measurement<int>> ObserveByState()
    {
        var trackers = Volatile.Read(ref _trackers);
        foreach (var state in Enum.GetValues<NextHopState>())
        {
            int sum = 0;
            foreach (var t in trackers) sum += t.ByState[(int)state];
            yield return new Measurement<int>(sum, new KeyValuePair<string, object?>("state", Tag(state)));
        }
    }

    private IEnumerable<Measurement<long>> ObserveResyncs()
    {
        var trackers = Volatile.Read(ref _trackers);
        foreach (var reason in Enum.GetValues<NextHopResyncReason>())
        {
            long sum = 0;
            foreach (var t in trackers) sum += t.ResyncsFor(reason);
            yield return new Measurement<long>(sum, new KeyValuePair<string, object?>("reason", Tag(reason)));
        }
    }

    internal static string Tag(NextHopState state) => state switch
    {
        NextHopState.Usable => "usable",
        NextHopState.NoRoute => "no_route",
        NextHopState.NoNeighbour => "no_neighbour",
        NextHopState.UnsupportedInterface => "unsupported_interface",
        _ => "pending",
    };

    internal static string Tag(NextHopResyncReason reason) => reason switch
    {
        NextHopResyncReason.Initial => "initial",
        NextHopResyncReason.NotificationsLost => "notifications_lost",
        _ => "periodic",
    };
}
