using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Replicator.Hosting.Configuration;
using Replicator.Hosting.Health;
using Replicator.Linux.Addresses;
using Replicator.Linux.Native;

namespace Replicator.ServiceNode.Cluster;

/// <summary>
/// With <c>InstallAnycast</c>, holds the anycast address on the loopback exactly while this node can
/// serve: added once the host has started (after the start-up sync) and, with the observability
/// feature, while the daemon is ready (every readiness condition met: a feature that reports a failure
/// by unmeeting its condition withdraws the address until it is met again); removed when the host
/// begins to stop, and removed for good when <see cref="Withdraw"/> reports a failure. A routing daemon that announces the address only while it is present (deploy/frr)
/// then moves VTEPs to another node. A copy left behind by a killed predecessor is removed at start,
/// so the address is never announced for a node that is still syncing.
/// </summary>
internal sealed class AnycastService : IHostedService, IDisposable
{
    private readonly ClusterState _state;
    private readonly IHostApplicationLifetime _lifetime;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private readonly IPAddress? _address;
    private readonly ReadinessState? _readiness;
    private AddressClient? _client;
    private bool _started;
    private bool _stopping;
    private string? _withdrawnBecause;
    private volatile bool _installed;

    public AnycastService(IReloadableOptions<ClusterOptions> options, ClusterState state, IHostApplicationLifetime lifetime, ILogger<AnycastService> logger,
        IServiceProvider? services = null)
    {
        _readiness = services?.GetService<ReadinessState>();
        ArgumentNullException.ThrowIfNull(options);
        _state = state ?? throw new ArgumentNullException(nameof(state));
        _lifetime = lifetime ?? throw new ArgumentNullException(nameof(lifetime));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        var o = options.Current;
        if (o.InstallAnycast) _address = ClusterOptions.ParseAnycast(o.AnycastAddress);
    }

    /// <summary>True when this node manages the anycast address (<c>InstallAnycast</c>).</summary>
    public bool Enabled => _address is not null;

    /// <summary>True while the address is on the loopback because of this node.</summary>
    public bool Installed => _installed;

    /// <summary>Why the address was withdrawn for good (<see cref="Withdraw"/>); null when it was not.</summary>
    public string? WithdrawnBecause
    {
        get { lock (_gate) return _withdrawnBecause; }
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (_address is null) return Task.CompletedTask;
        try
        {
            _client = AddressClient.Open();
        }
        catch (NativeException ex)
        {
            throw new InvalidOperationException($"ServiceNode:Cluster:InstallAnycast needs rtnetlink (CAP_NET_ADMIN): {ex.Message}", ex);
        }
        var deleted = _client.DeleteHost(AddressClient.LoopbackIfIndex, _address);
        if (deleted.Errno != Errno.SUCCESS)
            throw new InvalidOperationException($"ServiceNode:Cluster:InstallAnycast: cannot manage {_address} on the loopback: {deleted.Errno} (needs CAP_NET_ADMIN)");
        if (!deleted.Unchanged) ClusterLog.AnycastStaleRemoved(_logger, _address);
        _lifetime.ApplicationStarted.Register(static s => ((AnycastService)s!).OnStarted(), this);
        _lifetime.ApplicationStopping.Register(static s => ((AnycastService)s!).OnStopping(), this);
        if (_readiness is not null) _readiness.Changed += OnReadinessChanged;
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        if (_readiness is not null) _readiness.Changed -= OnReadinessChanged;
        OnStopping();
        return Task.CompletedTask;
    }

    /// <summary>
    /// Removes the anycast address and keeps it away until the process restarts: for a failure that
    /// makes this node unable to serve (the data plane stopped). Safe to call from any thread, repeatedly,
    /// and when <c>InstallAnycast</c> is off (then it only records the reason).
    /// </summary>
    public void Withdraw(string reason)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        lock (_gate) _withdrawnBecause ??= reason;
        Remove(reason);
    }

    private void OnStarted()
    {
        lock (_gate) _started = true;
        Reconcile();
    }

    private void OnStopping()
    {
        lock (_gate) _stopping = true;
        Remove("shutting down");
    }

    private void OnReadinessChanged(ReadinessState state) => Reconcile();

    /// <summary>Installs when everything says ready, removes otherwise.</summary>
    private void Reconcile()
    {
        // Started implies synced (the start-up sync runs inside start); checked anyway, it is cheap.
        bool ready = _state.Readiness.IsSynced && (_readiness?.IsReady ?? true);
        if (!ready)
        {
            var unmet = _readiness?.UnmetConditions();
            Remove(unmet is { Count: > 0 } ? $"not ready ({string.Join(", ", unmet)})" : "not ready");
            return;
        }
        lock (_gate)
        {
            if (_client is null || _address is null || !_started || _stopping || _withdrawnBecause is not null || _installed) return;
            var errno = _client.AddHost(AddressClient.LoopbackIfIndex, _address).Errno;
            if (errno != Errno.SUCCESS)
            {
                ClusterLog.AnycastFailed(_logger, "add", _address, errno.ToString());
                return;
            }
            _installed = true;
            ClusterLog.AnycastInstalled(_logger, _address, AddressClient.HostPrefixLength(_address));
        }
    }

    private void Remove(string reason)
    {
        lock (_gate)
        {
            if (_client is null || _address is null || !_installed) return;
            var errno = _client.DeleteHost(AddressClient.LoopbackIfIndex, _address).Errno;
            if (errno != Errno.SUCCESS)
            {
                ClusterLog.AnycastFailed(_logger, "remove", _address, errno.ToString());
                return;
            }
            _installed = false;
            ClusterLog.AnycastRemoved(_logger, _address, reason);
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _client?.Dispose();
            _client = null;
        }
    }
}
