using System.Diagnostics.Metrics;

namespace Replicator.Hosting.Authentication;

/// <summary>
/// <c>{daemon}.authentication.enabled</c> (Prometheus <c>vxsnd_authentication_enabled</c> /
/// <c>vxrd_authentication_enabled</c>): 1 while a key file is in force (signing and verifying;
/// also in the transitional state), 0 when the daemon runs unauthenticated, so an alert can catch
/// a node left open.
/// </summary>
public sealed class ControlAuthenticationMetrics
{
    public const string MeterName = "Replicator.Hosting.Authentication";

    /// <param name="meterFactory">Null when the host collects no metrics: then nothing is published.</param>
    public ControlAuthenticationMetrics(IMeterFactory? meterFactory, ControlAuthentication authentication, ControlAuthenticationSettings settings)
    {
        ArgumentNullException.ThrowIfNull(authentication);
        ArgumentNullException.ThrowIfNull(settings);
        if (meterFactory is null || settings.DaemonName.Length == 0) return;
        var meter = meterFactory.Create(MeterName);
        meter.CreateObservableGauge(settings.DaemonName + ".authentication.enabled", () => authentication.Enabled ? 1 : 0, unit: null,
            description: "1 while control messages are signed and verified (a key file is in force), 0 when the daemon runs unauthenticated.");
    }
}
