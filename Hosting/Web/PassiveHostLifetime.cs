using Microsoft.Extensions.Hosting;

namespace Replicator.Hosting.Web;

/// <summary>
/// The lifetime of an embedded web host: the daemon's host starts and stops it, so it must not
/// install its own SIGTERM/Ctrl+C handlers or print console status lines.
/// </summary>
internal sealed class PassiveHostLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
