using System.Text;
using OpenTelemetry;
using OpenTelemetry.Metrics;

namespace Replicator.Hosting.Metrics.Prometheus;

/// <summary>
/// Renders one collected batch of OpenTelemetry metrics as a Prometheus 0.0.4 text exposition.
/// Metrics whose Prometheus names collide are merged into one family when their types agree
/// (a family must appear once, contiguously, with one HELP and one TYPE line); a colliding
/// metric of another type is left out and reported through <paramref name="skipped"/>.
/// </summary>
internal static class PrometheusSerializer
{
    public static void Write(in Batch<Metric> batch, StringBuilder output, List<string>? skipped = null)
    {
        // Group first: families must be contiguous even when two meters produce the same name.
        var families = new Dictionary<string, Family>(StringComparer.Ordinal);
        var order = new List<Family>();
        foreach (var metric in batch)
        {
            var kind = KindOf(metric.MetricType);
            if (kind == PrometheusMetricKind.Unsupported)
            {
                skipped?.Add(metric.Name);
                continue;
            }

            string name = PrometheusNames.MetricName(metric.Name, metric.Unit, kind);
            if (families.TryGetValue(name, out var family))
            {
                if (family.Kind != kind)
                {
                    skipped?.Add(metric.Name);
                    continue;
                }

                family.Metrics.Add(metric);
            }
            else
            {
                family = new Family(name, kind, [metric]);
                families.Add(name, family);
                order.Add(family);
            }
        }

        foreach (var family in order)
        {
            WriteFamily(family, output);
        }
    }

    internal static PrometheusMetricKind KindOf(MetricType type) => type switch
    {
        MetricType.LongSum or MetricType.DoubleSum => PrometheusMetricKind.Counter,
        MetricType.LongSumNonMonotonic or MetricType.DoubleSumNonMonotonic => PrometheusMetricKind.Gauge,
        MetricType.LongGauge or MetricType.DoubleGauge => PrometheusMetricKind.Gauge,
        MetricType.Histogram => PrometheusMetricKind.Histogram,
        _ => PrometheusMetricKind.Unsupported,
    };

    private static void WriteFamily(Family family, StringBuilder sb)
    {
        var first = family.Metrics[0];
        sb.Append("# HELP ").Append(family.Name).Append(' ');
        // promtool flags a family without help text, so an undocumented instrument gets its own name.
        PrometheusTextFormat.AppendHelp(sb, string.IsNullOrWhiteSpace(first.Description) ? first.Name : first.Description);
        sb.Append('\n');
        sb.Append("# TYPE ").Append(family.Name).Append(' ').Append(family.Kind switch
        {
            PrometheusMetricKind.Counter => "counter",
            PrometheusMetricKind.Histogram => "histogram",
            _ => "gauge",
        }).Append('\n');

        foreach (var metric in family.Metrics)
        {
            foreach (ref readonly var point in metric.GetMetricPoints())
            {
                switch (family.Kind)
                {
                    case PrometheusMetricKind.Histogram:
                        WriteHistogramPoint(family.Name, in point, sb);
                        break;
                    default:
                        sb.Append(family.Name);
                        WriteLabels(in point, sb, histogram: false, le: null);
                        sb.Append(' ');
                        WriteScalarValue(metric.MetricType, in point, sb);
                        sb.Append('\n');
                        break;
                }
            }
        }
    }

    private static void WriteScalarValue(MetricType type, in MetricPoint point, StringBuilder sb)
    {
        switch (type)
        {
            case MetricType.LongSum:
            case MetricType.LongSumNonMonotonic:
                PrometheusTextFormat.AppendLong(sb, point.GetSumLong());
                break;
            case MetricType.DoubleSum:
            case MetricType.DoubleSumNonMonotonic:
                PrometheusTextFormat.AppendDouble(sb, point.GetSumDouble());
                break;
            case MetricType.LongGauge:
                PrometheusTextFormat.AppendLong(sb, point.GetGaugeLastValueLong());
                break;
            default:
                PrometheusTextFormat.AppendDouble(sb, point.GetGaugeLastValueDouble());
                break;
        }
    }

    private static void WriteHistogramPoint(string name, in MetricPoint point, StringBuilder sb)
    {
        long cumulative = 0;
        bool wroteInf = false;
        foreach (var bucket in point.GetHistogramBuckets())
        {
            // The SDK reports per-bucket counts; Prometheus buckets are cumulative ("less or equal").
            cumulative += bucket.BucketCount;
            sb.Append(name).Append("_bucket");
            WriteLabels(in point, sb, histogram: true, le: bucket.ExplicitBound);
            sb.Append(' ');
            PrometheusTextFormat.AppendLong(sb, cumulative);
            sb.Append('\n');
            wroteInf |= double.IsPositiveInfinity(bucket.ExplicitBound);
        }

        long count = point.GetHistogramCount();
        if (!wroteInf)
        {
            sb.Append(name).Append("_bucket");
            WriteLabels(in point, sb, histogram: true, le: double.PositiveInfinity);
            sb.Append(' ');
            PrometheusTextFormat.AppendLong(sb, count);
            sb.Append('\n');
        }

        sb.Append(name).Append("_sum");
        WriteLabels(in point, sb, histogram: true, le: null);
        sb.Append(' ');
        PrometheusTextFormat.AppendDouble(sb, point.GetHistogramSum());
        sb.Append('\n');

        sb.Append(name).Append("_count");
        WriteLabels(in point, sb, histogram: true, le: null);
        sb.Append(' ');
        PrometheusTextFormat.AppendLong(sb, count);
        sb.Append('\n');
    }

    private static void WriteLabels(in MetricPoint point, StringBuilder sb, bool histogram, double? le)
    {
        bool any = false;
        foreach (var tag in point.Tags)
        {
            string label = PrometheusNames.LabelName(tag.Key);
            if (histogram && label == "le")
            {
                // "le" is the bucket bound on a histogram; a tag of that name would corrupt it.
                label = "tag_le";
            }

            sb.Append(any ? ',' : '{').Append(label).Append("=\"");
            PrometheusTextFormat.AppendLabelValue(sb, PrometheusTextFormat.TagValueToString(tag.Value));
            sb.Append('"');
            any = true;
        }

        if (le is { } bound)
        {
            sb.Append(any ? ',' : '{').Append("le=\"");
            PrometheusTextFormat.AppendDouble(sb, bound);
            sb.Append('"');
            any = true;
        }

        if (any)
        {
            sb.Append('}');
        }
    }

    private sealed record Family(string Name, PrometheusMetricKind Kind, List<Metric> Metrics);
}
