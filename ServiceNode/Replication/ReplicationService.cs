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
using Replicator.ServiceNode.Replication.NextHops;

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
/// <param name="nextHopMetrics">The next-hop tracker's instruments (packet path).</param>
/// <param name="membershipRelay">Tells the tracker when the registry's members change (packet path); absent: it reads the table on its refresh only.</param>
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
    ReadinessState? readiness = null,
    NextHopMetrics? nextHopMetrics = null,
    NextHopMembershipRelay? membershipRelay = null) : IHostedService
{
    private readonly List<ReplicationWorker> _workers = [];
    private NextHopTracker? _tracker;
    private readonly Lock _gate = new();
    private ReadinessCondition? _running;

    /// <summary>Readiness condition: every worker can receive. While unmet, /readyz is 503 and an installed anycast is withdrawn.</summary>
    public const string DataPlaneCondition = "data plane receiving";

    private void OnReceiveError(int worker, Errno errno)
    {
        ReplicationLog.ReceiveFailed(logger, worker, errno);
        if (errno is Errno.EBADF or Errno.ENOTSOCK) _running?.MarkUnmet();
    }

    // Once per process, from whichever worker meets it first: the cause (permissions, memory, kernel) is the same for all.
    private int _ringWarned;

    private void OnRingUnavailable(int worker, int interfaceIndex, Errno errno)
    {
        if (Interlocked.Exchange(ref _ringWarned, 1) == 0) ReplicationLog.PacketRingUnavailable(logger, worker, interfaceIndex, errno);
    }

    public IReadOnlyList<ReplicationWorker> Workers => _workers;

    /// <summary>The packet path's next-hop source; null when every copy goes raw (Transmit=Raw, Node mode, or Auto without netlink).</summary>
    public INextHopSource? NextHops => _tracker;

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
            // The tracker first: its sockets, like the workers', belong to this thread's namespace.
            if (settings.UsesPacketPath) _tracker = OpenTracker(settings);
            for (int i = 0; i < settings.Workers; i++)
            {
                _workers.Add(new ReplicationWorker(i, settings, table, metrics, sink, OnReceiveError, own,
                    heartbeats?.Register($"replication worker {i}"), _tracker, OnRingUnavailable));
            }
            if (_tracker is not null && !_workers.TrueForAll(w => w.HasPacketPath))
            {
                // Auto, and a packet socket could not be opened: nothing reads the tracker.
                ReplicationLog.PacketPathUnavailable(logger, "no AF_PACKET socket");
                _tracker.Dispose();
                _tracker = null;
            }
        }
        catch (NativeException e)
        {
            string reason = e.Errno switch
            {
                Errno.EADDRINUSE => "the address is in use by a process that did not set SO_REUSEPORT",
                Errno.EADDRNOTAVAIL => $"{settings.DataAddress} is not an address of this host ({ReplicationOptions.SectionName}:Address)",
                Errno.EPERM or Errno.EACCES => "permission denied: raw and packet sockets (SourceMode=Preserve) need CAP_NET_RAW",
                _ => e.Message,
            };
            ReplicationLog.StartFailed(logger, endPoint, reason, e);
            _ = Dispose();
            throw new InvalidOperationException($"vxsnd data plane cannot start on {endPoint}: {reason} ({e.Message})", e);
        }
        _tracker?.Start();
        foreach (var w in _workers) w.Start();
        _running = readiness?.Register(DataPlaneCondition);
        _running?.MarkMet();
        string transmit = settings.SourceMode == SourceMode.Node ? "udp" : _tracker is null ? "raw" : settings.Transmit == TransmitPath.Auto ? "auto (packet)" : "packet";
        ReplicationLog.Started(logger, endPoint, _workers.Count, settings.SourceMode, transmit, settings.DestinationPort);
        return Task.CompletedTask;
    }

    // Auto goes raw when netlink cannot be used here; Packet fails the start.
    private NextHopTracker? OpenTracker(ReplicationSettings settings)
    {
        try
        {
            return new NextHopTracker(table, nextHopMetrics, logger, membershipRelay);
        }
        catch (NativeException e) when (settings.Transmit == TransmitPath.Auto)
        {
            ReplicationLog.PacketPathUnavailable(logger, $"next-hop tracking: {e.Message}");
            return null;
        }
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
            bool any = _workers.Count > 0 || _tracker is not null;
            foreach (var w in _workers) w.Dispose();
            _workers.Clear();
            // After the workers: none reads it any more.
            _tracker?.Dispose();
            _tracker = null;
            return any;
        }
    }
}
