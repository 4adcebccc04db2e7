using Microsoft.Extensions.Hosting;

namespace Replicator.Hosting.Authentication;

/// <summary>
/// Checks the key file for changes every <see cref="ControlAuthenticationSettings.KeyFileCheckInterval"/>,
/// so keys rotate without a restart. Takes the metrics so that the gauge exists from start.
/// </summary>
internal sealed class AuthKeyFileReloader(ControlAuthentication authentication, ControlAuthenticationSettings settings, TimeProvider time,
    ControlAuthenticationMetrics? metrics = null) : BackgroundService
{
    private readonly ControlAuthenticationMetrics? _metrics = metrics;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!authentication.Enabled) return;
        using var timer = new PeriodicTimer(settings.KeyFileCheckInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken)) authentication.Reload();
        }
        catch (OperationCanceledException)
        {
        }
    }
}
