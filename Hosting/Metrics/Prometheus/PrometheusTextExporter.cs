using System.Text;
using OpenTelemetry;
using OpenTelemetry.Metrics;

namespace Replicator.Hosting.Metrics.Prometheus;

/// <summary>
/// A pull-only exporter: the SDK hands it a batch only while <see cref="PrometheusScraper"/>
/// runs a collection, and it renders that batch into the scraper's buffer. Metric objects are
/// valid only inside <see cref="Export"/>, which is why rendering happens here and not later.
/// </summary>
[ExportModes(ExportModes.Pull)]
internal sealed class PrometheusTextExporter : BaseExporter<Metric>, IPullMetricExporter
{
    // Set by the scraper for the duration of one collection, under its gate.
    private StringBuilder? _target;
    private List<string>? _skipped;

    /// <summary>Set by the SDK's <see cref="BaseExportingMetricReader"/>: runs a collection into <see cref="Export"/>.</summary>
    public Func<int, bool>? Collect { get; set; }

    /// <summary>Arms the exporter for one collection; the caller serialises collections.</summary>
    internal void BeginCollection(StringBuilder target, List<string> skipped)
    {
        _target = target;
        _skipped = skipped;
    }

    internal void EndCollection()
    {
        _target = null;
        _skipped = null;
    }

    public override ExportResult Export(in Batch<Metric> batch)
    {
        var target = _target;
        if (target is null)
        {
            // A collection nobody asked to render (the SDK collects once more at shutdown).
            return ExportResult.Success;
        }

        PrometheusSerializer.Write(batch, target, _skipped);
        return ExportResult.Success;
    }
}
