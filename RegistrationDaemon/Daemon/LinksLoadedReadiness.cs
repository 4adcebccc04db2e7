using Microsoft.Extensions.Hosting;
using Replicator.Hosting.Health;

namespace Replicator.RegistrationDaemon.Daemon;

/// <summary>
/// Marks the "links loaded" readiness condition once the daemon loop has applied its first link
/// dump: before that, vxrd has registered nothing and programmed nothing, so /readyz and systemd's
/// READY=1 must wait for it.
/// </summary>
internal sealed class LinksLoadedReadiness(DaemonLoop loop, ReadinessState readiness) : BackgroundService
{
    public const string ConditionName = "links loaded";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var condition = readiness.Register(ConditionName);
        await loop.Ready.WaitAsync(stoppingToken);
        condition.MarkMet();
    }
}
