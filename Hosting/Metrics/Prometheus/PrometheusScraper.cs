using System.Diagnostics;
using System.Text;
using OpenTelemetry.Metrics;

namespace Replicator.Hosting.Metrics.Prometheus;

/// <summary>
/// Produces Prometheus text expositions on demand from an OpenTelemetry <c>MeterProvider</c>.
/// Add it to a provider with <see cref="PrometheusMeterProviderBuilderExtensions.AddPrometheusText"/>,
/// then call <see cref="ScrapeAsync"/> per HTTP request. Scrapes are serialised (the SDK's
/// pull collection is not re-entrant); a scrape that had to wait reuses the result of a
/// collection that started after it arrived, so concurrent scrapers share one collection.
/// </summary>
public sealed class PrometheusScraper : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly StringBuilder _buffer = new(16 * 1024);
    private readonly List<string> _skipped = [];
    private readonly HashSet<string> _reportedSkips = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;
    private Result? _last;

    /// <param name="collectTimeout">How long one SDK collection may take (observable callbacks run inside it). Default 10 s.</param>
    /// <param name="timeProvider">Clock used to order scrapes; the system clock by default.</param>
    public PrometheusScraper(TimeSpan? collectTimeout = null, TimeProvider? timeProvider = null)
    {
        CollectTimeout = collectTimeout ?? TimeSpan.FromSeconds(10);
        _time = timeProvider ?? TimeProvider.System;
        Exporter = new PrometheusTextExporter();
        Reader = new BaseExportingMetricReader(Exporter)
        {
            // Prometheus counters and histograms are cumulative since process start.
            TemporalityPreference = MetricReaderTemporalityPreference.Cumulative,
        };
    }

    /// <summary>The Content-Type of <see cref="ScrapeAsync"/>'s output.</summary>
    public static string ContentType => PrometheusTextFormat.ContentType;

    public TimeSpan CollectTimeout { get; }

    /// <summary>Called once for each instrument that cannot be exposed (exponential histogram, name clash of different types).</summary>
    public event Action<string>? InstrumentSkipped;

    internal PrometheusTextExporter Exporter { get; }

    internal MetricReader Reader { get; }

    /// <summary>
    /// Collects every instrument of the provider and returns the UTF-8 exposition.
    /// Throws <see cref="InvalidOperationException"/> when the provider is not built or the collection fails.
    /// </summary>
    public async ValueTask<ReadOnlyMemory<byte>> ScrapeAsync(CancellationToken cancellationToken = default)
    {
        long arrived = _time.GetTimestamp();
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_last is { } last && last.StartedAt >= arrived)
            {
                return last.Payload;
            }

            long started = _time.GetTimestamp();
            var collect = Exporter.Collect;
            if (collect is null || Exporter.ParentProvider is null)
            {
                throw new InvalidOperationException("the Prometheus reader is not attached to a built MeterProvider");
            }

            _buffer.Clear();
            _skipped.Clear();
            Exporter.BeginCollection(_buffer, _skipped);
            bool ok;
            try
            {
                ok = collect((int)CollectTimeout.TotalMilliseconds);
            }
            finally
            {
                Exporter.EndCollection();
            }

            if (!ok)
            {
                throw new InvalidOperationException($"metric collection failed or exceeded {CollectTimeout.TotalSeconds:0.#} s");
            }

            ReportSkips();
            var payload = Encoding.UTF8.GetBytes(_buffer.ToString());
            _last = new Result(started, payload);
            return payload;
        }
        finally
        {
            _gate.Release();
        }
    }

    private void ReportSkips()
    {
        foreach (string name in _skipped)
        {
            if (_reportedSkips.Add(name))
            {
                InstrumentSkipped?.Invoke(name);
            }
        }
    }

    public void Dispose()
    {
        Reader.Dispose();
        _gate.Dispose();
    }

    private sealed record Result(long StartedAt, byte[] Payload);
}
