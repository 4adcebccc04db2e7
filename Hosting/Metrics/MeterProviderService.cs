using Microsoft.Extensions.Hosting;
using OpenTelemetry.Metrics;

namespace Replicator.Hosting.Metrics;

/// <summary>
/// Forces the OpenTelemetry <see cref="MeterProvider"/> to be built when the host resolves its
/// hosted services (before any of them starts), so it listens to the daemon's meters before the
/// first measurement, and even when only OTLP is configured (no HTTP listener resolves it then).
/// The DI container disposes the provider at shutdown, which flushes a final OTLP export.
/// </summary>
internal sealed class MeterProviderService(MeterProvider provider) : IHostedService
{
    public MeterProvider Provider { get; } = provider;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
