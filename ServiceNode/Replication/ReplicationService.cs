using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Replicator.Hosting.Health;
using Replicator.Hosting.Systemd;
using Replicator.Linux.Native;
using Replicator.ServiceNode.Addresses;
using Replicator.ServiceNode.Registry;

namespace Replicator.ServiceNode.Replication;

/// <summary>
/// Starts the replication workers with the host and stops them with it. A worker that cannot
/// open or bind its sockets fails <see cref="StartAsync"/>, which stops the host with the reason.
/// </summary>
internal sealed class ReplicationService(
    IOptions<ReplicationOptions> options,
    IConfiguration configuration,
    MemberTable table,
    ReplicationMetrics metrics,
    IServiceProvider services,
    ILogger<ReplicationService> logger) : IHostedService
{
    private readonly List<ReplicationWorker> _workers = [];
    private readonly Lock _gate = new();
    private ReadinessCondition? _running;

    /// <summary>Readiness condition: every worker can receive. While unmet, /readyz is 503 and an installed anycast is withdrawn.</summary>
    public const string DataPlaneCondition = "data plane receiving";

    private void OnReceiveError(int worker, Errno errno)
    {
        ReplicationLog.ReceiveFailed(logger, worker, errno);
        if (errno is Errno.EBADF or Errno.ENOTSOCK) _running?.MarkUnmet();
    }

    public IReadOnlyList<ReplicationWorker> Workers => _workers;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        if (!o.Replicate)
        {
            ReplicationLog.Disabled(logger);
            return Task.CompletedTask;
        }
        var settings = ReplicationSettings.From(o, configuration[$"{ReplicationOptions.SectionName}:ControlAddress"],
            configuration[$"{ReplicationOptions.SectionName}:AnycastAddress"]);
        var sink = services.GetService<IUnregisteredSenderSink>();
        string endPoint = new IPEndPoint(settings.DataAddress, settings.DataPort).ToString();
        try
        {
            for (int i = 0; i < settings.Workers; i++)
            {
                _workers.Add(new ReplicationWorker(i, settings, table, metrics, sink, OnReceiveError, services.GetService<OwnAddresses>(),
                    services.GetService<WatchdogHeartbeats>()?.Register($"replication worker {i}")));
            }
        }
        catch (NativeException e)
        {
            string reason = e.Errno switch
            {
                Errno.EADDRINUSE => "the address is in use by a process that did not set SO_REUSEPORT",
                Errno.EADDRNOTAVAIL => $"{settings.DataAddress} is not an address of this host (ServiceNode:DataAddress)",
                Errno.EPERM or Errno.EACCES => "permission denied: raw sockets (SourceMode=Preserve) need CAP_NET_RAW",
                _ => e.Message,
            };
            ReplicationLog.StartFailed(logger, endPoint, reason, e);
            _ = Dispose();
            throw new InvalidOperationException($"vxsnd data plane cannot start on {endPoint}: {reason} ({e.Message})", e);
        }
        foreach (var w in _workers) w.Start();
        _running = services.GetService<ReadinessState>()?.Register(DataPlaneCondition);
        _running?.MarkMet();
        ReplicationLog.Started(logger, endPoint, _workers.Count, settings.SourceMode, settings.DestinationPort);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        if (Dispose()) ReplicationLog.Stopped(logger);
        return Task.CompletedTask;
    }

    /// <summary>Stops and frees every worker once, whoever calls first; returns whether this call did it.</summary>
    private bool Dispose()
    {
        lock (_gate)
        {
            if (_workers.Count == 0) return false;
            foreach (var w in _workers) w.Dispose();
            _workers.Clear();
            return true;
        }
    }
}
