using Microsoft.Extensions.Hosting;

namespace Replicator.Hosting.Health;

/// <summary>
/// Meets <see cref="ReadinessState.HostStarted"/> when the host raises ApplicationStarted,
/// i.e. after every hosted service has started, so that no listener reports ready while
/// other parts of the daemon are still starting.
/// </summary>
internal sealed class HostStartedReadinessService(IHostApplicationLifetime lifetime, ReadinessState readiness) : IHostedService
{
    private CancellationTokenRegistration _registration;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _registration = lifetime.ApplicationStarted.Register(() => readiness.Set(ReadinessState.HostStarted, true));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _registration.Dispose();
        return Task.CompletedTask;
    }
}
