using System.Diagnostics.Metrics;

namespace Replicator.ServiceNode.Replication;

/// <summary>
/// The data plane's instruments. Totals are observable counters that read the workers' plain
/// counters when collected, so the hot path makes no instrument call per datagram; the batch-size
/// and latency histograms are recorded once per batch.
/// </summary>
internal sealed class ReplicationMetrics
{
    public const string MeterName = "Replicator.ServiceNode.Replication";

    private static readonly KeyValuePair<string, object?> ReceiveTag = new("direction", "receive");
    private static readonly KeyValuePair<string, object?> SendTag = new("direction", "send");

    private readonly object _gate = new();
    private WorkerCounters[] _workers = [];
    private readonly Histogram<int> _batchSize;
    private readonly Histogram<double> _latency;

    public ReplicationMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName);
        meter.CreateObservableCounter("vxsnd.datagrams.received", () => Sum(static w => w.DatagramsReceived), "{datagram}", "BUM datagrams received by the data plane.");
        meter.CreateObservableCounter("vxsnd.copies.sent", () => Sum(static w => w.CopiesSent), "{copy}", "Copies handed to the kernel.");
        meter.CreateObservableCounter("vxsnd.send.errors", () => Sum(static w => w.SendErrors), "{copy}", "Copies the kernel refused.");
        meter.CreateObservableCounter("vxsnd.datagrams.dropped", ObserveDropped, "{datagram}", "Datagrams not replicated, by reason (send_error counts copies).");
        meter.CreateObservableCounter("vxsnd.dataplane.copies", ObserveCopies, "{copy}", "Copies handed to the kernel, by path (packet, raw, udp).");
        meter.CreateObservableCounter("vxsnd.dataplane.fallbacks", ObserveFallbacks, "{copy}", "Copies the packet path left to the raw socket, by reason.");
        _batchSize = meter.CreateHistogram<int>("vxsnd.batch.size", "{datagram}", "Messages per recvmmsg (receive) or sendmmsg (send) call.",
            advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024] });
        _latency = meter.CreateHistogram<double>("vxsnd.replication.latency", "s", "From a batch's receive to its last copy handed to the kernel.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.000_005, 0.000_01, 0.000_025, 0.000_05, 0.000_1, 0.000_25, 0.000_5, 0.001, 0.0025, 0.005, 0.01] });
    }

    /// <summary>Adds a worker's counters to the totals. Workers are never removed: counters must not go backwards.</summary>
    public void Register(WorkerCounters counters)
    {
        lock (_gate) _workers = [.. _workers, counters];
    }

    internal void RecordReceiveBatch(int datagrams)
    {
        if (_batchSize.Enabled) _batchSize.Record(datagrams, ReceiveTag);
    }

    internal void RecordSendBatch(int copies)
    {
        if (_batchSize.Enabled) _batchSize.Record(copies, SendTag);
    }

    internal void RecordLatency(double seconds)
    {
        if (_latency.Enabled) _latency.Record(seconds);
    }

    private long Sum(Func<WorkerCounters, long> field)
    {
        long sum = 0;
        foreach (var w in Volatile.Read(ref _workers)) sum += field(w);
        return sum;
    }

    private IEnumerable<Measurement<long>> ObserveCopies()
    {
        var workers = Volatile.Read(ref _workers);
        var result = new Measurement<long>[CopyPaths.Count];
        for (int p = 0; p < CopyPaths.Count; p++)
        {
            long sum = 0;
            foreach (var w in workers) sum += w.CopiesOn((CopyPath)p);
            result[p] = new Measurement<long>(sum, new KeyValuePair<string, object?>("path", CopyPaths.Tag((CopyPath)p)));
        }
        return result;
    }

    private IEnumerable<Measurement<long>> ObserveFallbacks()
    {
        var workers = Volatile.Read(ref _workers);
        var result = new Measurement<long>[PacketFallbacks.Count];
        for (int r = 0; r < PacketFallbacks.Count; r++)
        {
            long sum = 0;
            foreach (var w in workers) sum += w.FallbacksFor((PacketFallback)r);
            result[r] = new Measurement<long>(sum, new KeyValuePair<string, object?>("reason", PacketFallbacks.Tag((PacketFallback)r)));
        }
        return result;
    }

    private IEnumerable<Measurement<long>> ObserveDropped()
    {
        var workers = Volatile.Read(ref _workers);
        var result = new Measurement<long>[DropReasons.Count];
        for (int r = 0; r < DropReasons.Count; r++)
        {
            long sum = 0;
            foreach (var w in workers) sum += w.DroppedFor((DropReason)r);
            result[r] = new Measurement<long>(sum, new KeyValuePair<string, object?>("reason", DropReasons.Tag((DropReason)r)));
        }
        return result;
    }
}
