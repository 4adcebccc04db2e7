using System.Diagnostics.Metrics;

namespace Replicator.Hosting.Health;

/// <summary>
/// Exposes readiness as a gauge, <c>{daemon}.ready</c> (Prometheus <c>vxsnd_ready</c> /
/// <c>vxrd_ready</c>): 1 when every readiness condition is met, else 0. Together with
/// Prometheus' own <c>up</c> it gives the per-daemon health panel and alert.
/// </summary>
public sealed class HealthMetrics
{
    public const string MeterName = "Replicator.Hosting.Health";

    public HealthMetrics(IMeterFactory meterFactory, ReadinessState readiness, string daemonName)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        ArgumentNullException.ThrowIfNull(readiness);
        ArgumentException.ThrowIfNullOrWhiteSpace(daemonName);
        var meter = meterFactory.Create(MeterName);
        meter.CreateObservableGauge(
            daemonName + ".ready",
            () => readiness.IsReady ? 1 : 0,
            unit: null,
            description: "1 when every readiness condition of the daemon is met (see /readyz), else 0.");
    }
}
