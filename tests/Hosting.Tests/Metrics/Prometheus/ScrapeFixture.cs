using System.Diagnostics.Metrics;
using System.Text;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using Replicator.Hosting.Metrics.Prometheus;

namespace Replicator.Hosting.Metrics.Prometheus.Tests;

/// <summary>A meter with a unique name, an SDK provider listening only to it, and a scraper.</summary>
internal sealed class ScrapeFixture : IDisposable
{
    private static int s_counter;

    public ScrapeFixture(Action<MeterProviderBuilder>? configure = null)
    {
        Meter = new Meter($"Replicator.Tests.Scrape{Interlocked.Increment(ref s_counter)}");
        Scraper = new PrometheusScraper();
        var builder = Sdk.CreateMeterProviderBuilder().AddMeter(Meter.Name).AddPrometheusText(Scraper);
        configure?.Invoke(builder);
        Provider = builder.Build();
    }

    public Meter Meter { get; }

    public PrometheusScraper Scraper { get; }

    public MeterProvider Provider { get; }

    public async Task<string> ScrapeAsync() => Encoding.UTF8.GetString((await Scraper.ScrapeAsync()).Span);

    /// <summary>The sample lines (no comments) of the exposition.</summary>
    public static string[] Samples(string exposition) =>
        exposition.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !l.StartsWith('#')).ToArray();

    public void Dispose()
    {
        Provider.Dispose();
        Meter.Dispose();
        Scraper.Dispose();
    }
}
