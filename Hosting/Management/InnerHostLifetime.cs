using Microsoft.Extensions.Hosting;

namespace Replicator.Hosting.Management;

/// <summary>
/// The embedded management server's lifetime: the daemon's host starts and stops it, so it must
/// not install its own SIGTERM/Ctrl+C handlers or print console status lines.
/// </summary>
internal sealed class InnerHostLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
