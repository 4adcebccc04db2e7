using System.Net;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Replicator.Hosting.Configuration;
using Replicator.Hosting.Health;
using Replicator.Hosting.Systemd;
using Replicator.Linux.Native;
using Replicator.ServiceNode.Addresses;
using Replicator.ServiceNode.Cluster;
using Replicator.ServiceNode.Configuration;
using Replicator.ServiceNode.Registry;

namespace Replicator.ServiceNode.Replication;

/// <summary>
/// Starts the replication workers with the host and stops them with it. A worker that cannot
/// open or bind its sockets fails <see cref="StartAsync"/>, which stops the host with the reason.
/// </summary>
/// <param name="cluster">Its <c>AnycastAddress</c> decides the default data address; absent without the cluster feature (tests).</param>
/// <param name="sink">Where unregistered senders are reported (the registry); absent: they are only counted.</param>
/// <param name="own">The node's own addresses, never replicated to; absent in data-plane-only tests.</param>
/// <param name="heartbeats">The systemd watchdog's; absent without the observability feature.</param>
/// <param name="readiness">Where the data plane says it receives; absent without the observability feature.</param>
internal sealed class ReplicationService(
    IOptions<ReplicationOptions> options,
    IReloadableOptions<ServiceNodeOptions> serviceNode,
    MemberTable table,
    ReplicationMetrics metrics,
    ILogger<ReplicationService> logger,
    IReloadableOptions<ClusterOptions>? cluster = null,
    IUnregisteredSenderSink? sink = null,
    OwnAddresses? own = null,
    WatchdogHeartbeats? heartbeats = null,
    ReadinessState? readiness = null) : IHostedService
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
        if (!o.Enabled)
        {
            ReplicationLog.Disabled(logger);
            return Task.CompletedTask;
        }
        var settings = ReplicationSettings.From(o, serviceNode.Current.ControlAddress, cluster?.Current.AnycastAddress);
        string endPoint = new IPEndPoint(settings.DataAddress, settings.DataPort).ToString();
        try
        {
            for (int i = 0; i < settings.Workers; i++)
            {
                _workers.Add(new ReplicationWorker(i, settings, table, metrics, sink, OnReceiveError, own,
                    heartbeats?.Register($"replication worker {i}")));
            }
        }
        catch (NativeException e)
        {
            string reason = e.Errno switch
            {
                Errno.EADDRINUSE => "the address is in use by a process that did not set SO_REUSEPORT",
                Errno.EADDRNOTAVAIL => $"{settings.DataAddress} is not an address of this host ({ReplicationOptions.SectionName}:Address)",
                Errno.EPERM or Errno.EACCES => "permission denied: raw sockets (SourceMode=Preserve) need CAP_NET_RAW",
                _ => e.Message,
            };
            ReplicationLog.StartFailed(logger, endPoint, reason, e);
            _ = Dispose();
            throw new InvalidOperationException($"vxsnd data plane cannot start on {endPoint}: {reason} ({e.Message})", e);
        }
        foreach (var w in _workers) w.Start();
        _running = readiness?.Register(DataPlaneCondition);
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
