using System.Diagnostics.Metrics;
using OpenTelemetry.Metrics;

namespace Replicator.Hosting.Metrics;

/// <summary>
/// The provider's single view. The SDK selects meters by name only, so a second host in the
/// same process (tests run several) would otherwise collect this host's instruments too and
/// fold both into one series; instruments of meters that another host's IMeterFactory created
/// are dropped. Meters made with <c>new Meter(name)</c> (no scope) are kept.
/// </summary>
internal static class HostMeterFilter
{
    public static MetricStreamConfiguration? Select(Instrument instrument, IMeterFactory hostFactory)
    {
        if (instrument.Meter.Scope is { } scope && !ReferenceEquals(scope, hostFactory))
        {
            return MetricStreamConfiguration.Drop;
        }

        // One view function only: the SDK creates a stream per matching view.
        return SecondsHistogramView.Select(instrument);
    }
}
