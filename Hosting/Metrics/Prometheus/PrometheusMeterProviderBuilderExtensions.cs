using OpenTelemetry.Metrics;

namespace Replicator.Hosting.Metrics.Prometheus;

/// <summary>Wires a <see cref="PrometheusScraper"/> into a <see cref="MeterProviderBuilder"/>.</summary>
public static class PrometheusMeterProviderBuilderExtensions
{
    /// <summary>
    /// Adds the scraper's pull reader to the provider. The provider owns the reader once built:
    /// disposing the provider shuts it down.
    /// </summary>
    public static MeterProviderBuilder AddPrometheusText(this MeterProviderBuilder builder, PrometheusScraper scraper)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(scraper);
        return builder.AddReader(scraper.Reader);
    }
}
