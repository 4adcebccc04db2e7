namespace Replicator.Hosting.Metrics.Prometheus;

/// <summary>The Prometheus family type an OpenTelemetry metric is exposed as.</summary>
internal enum PrometheusMetricKind
{
    /// <summary>Not representable in the 0.0.4 text format (exponential histograms); skipped.</summary>
    Unsupported,

    /// <summary>Monotonic sums (Counter, ObservableCounter): <c># TYPE x_total counter</c>.</summary>
    Counter,

    /// <summary>Gauges and non-monotonic sums (UpDownCounter), which can go down.</summary>
    Gauge,

    /// <summary>Explicit-bucket histograms: <c>_bucket{le=...}</c>, <c>_sum</c>, <c>_count</c>.</summary>
    Histogram,
}
