using System.Diagnostics.Metrics;
using OpenTelemetry.Metrics;

namespace Replicator.Hosting.Metrics;

/// <summary>
/// Gives histograms in seconds sensible buckets when their instrument brings no advice.
/// The SDK's default bounds (0, 5, 10 ... 10000) suit milliseconds; a replication latency of
/// a few microseconds would land entirely in the first bucket.
/// </summary>
internal static class SecondsHistogramView
{
    /// <summary>5 us to 10 s, roughly 1-2.5-5 steps.</summary>
    public static readonly double[] Boundaries =
    [
        0.000005, 0.00001, 0.000025, 0.00005, 0.0001, 0.00025, 0.0005,
        0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
    ];

    public static MetricStreamConfiguration? Select(Instrument instrument)
    {
        if (instrument.Unit != "s")
        {
            return null;
        }

        bool withoutAdvice = instrument switch
        {
            Histogram<double> h => h.Advice?.HistogramBucketBoundaries is null,
            Histogram<float> h => h.Advice?.HistogramBucketBoundaries is null,
            Histogram<long> h => h.Advice?.HistogramBucketBoundaries is null,
            Histogram<int> h => h.Advice?.HistogramBucketBoundaries is null,
            _ => false,
        };

        return withoutAdvice ? new ExplicitBucketHistogramConfiguration { Boundaries = Boundaries } : null;
    }
}
