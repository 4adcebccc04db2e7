using System.Net;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Replicator.Hosting.Configuration;
using Replicator.Linux.Addresses;
using Replicator.ServiceNode.Cluster;
using Replicator.ServiceNode.Configuration;
using Replicator.ServiceNode.Registry;
using Replicator.ServiceNode.Replication;

namespace Replicator.ServiceNode.Addresses;

/// <summary>
/// Keeps <see cref="OwnAddresses"/> equal to the node's addresses: the configured ControlAddress,
/// data-plane Address and cluster AnycastAddress (wildcards left out) and the cluster peers' addresses, plus every address in the kernel's address
/// table and the broadcast addresses of its IPv4 subnets, followed over rtnetlink
/// (<see cref="AddressWatcher"/>). Starts before the registry, so the first static entry and the first
/// registration are already judged against them; a node that cannot read its addresses does not start.
/// If the watch fails later, the last set stays in force and the watch is restarted.
/// </summary>
/// <param name="dataPlane">Absent without the data plane (tests).</param>
/// <param name="cluster">Absent without the cluster feature (tests).</param>
internal sealed class OwnAddressTracker(OwnAddresses own, IReloadableOptions<ServiceNodeOptions> serviceNode, IReloadableOptions<RegistryOptions> registry,
    ILogger<OwnAddressTracker> logger, IOptions<ReplicationOptions>? dataPlane = null, IReloadableOptions<ClusterOptions>? cluster = null) : IHostedService, IDisposable
{
    private static readonly TimeSpan RestartDelay = TimeSpan.FromSeconds(1);

    private readonly Lock _gate = new();
    private readonly Lock _publishGate = new();
    private IReadOnlyList<IPAddress> _configured = [];
    private bool _allowLoopback;
    private AddressWatcher? _watcher;
    private bool _stopped;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _configured = Configured(serviceNode.Current.ControlAddress, dataPlane?.Value.Address, cluster?.Current.AnycastAddress, cluster?.Current.Peers ?? []);
        _allowLoopback = registry.Current.AllowLoopbackVteps;
        // Start dumps the table and hands it to OnKernelChanged before it returns.
        var watcher = AddressWatcher.Start(OnKernelChanged, OnWatchFailed);
        lock (_gate) _watcher = watcher;
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        Dispose();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        AddressWatcher? watcher;
        lock (_gate)
        {
            _stopped = true;
            watcher = _watcher;
            _watcher = null;
        }
        watcher?.Dispose();
    }

    /// <summary>The configured addresses that are addresses (not wildcards, not unset).</summary>
    internal static IReadOnlyList<IPAddress> Configured(string? controlAddress, string? dataAddress, string? anycastAddress, IEnumerable<string?> peers)
    {
        var result = new List<IPAddress>();
        foreach (var text in (string?[])[controlAddress, dataAddress, anycastAddress])
        {
            var address = ClusterOptions.ParseAnycast(text);
            if (address is not null && !address.Equals(IPAddress.Any) && !address.Equals(IPAddress.IPv6Any)) result.Add(address);
        }
        // Cluster peers are service nodes, never VTEPs: registering one at another node would make
        // the two copy BUM frames to each other.
        foreach (var peer in peers)
        {
            if (PeerAddress.TryParse(peer, out var parsed, out _)) result.Add(Hosting.Addressing.AddressPolicy.Normalize(parsed.Address));
        }
        return result;
    }

    private void OnKernelChanged(IReadOnlyList<KernelAddress> table) => Publish(table);

    private void Publish(IReadOnlyList<KernelAddress> table)
    {
        var set = OwnAddressSet.From(_configured, table.Select(a => (a.Address, a.PrefixLength, a.Broadcast)), _allowLoopback);
        // One publisher at a time (a restarted watcher's first dump and a late callback of the old one).
        lock (_publishGate)
        {
            if (own.Update(set)) OwnAddressesLog.Changed(logger, set.Addresses.Count, set.Broadcasts.Count);
        }
    }

    private void OnWatchFailed(Exception exception)
    {
        OwnAddressesLog.WatchFailed(logger, RestartDelay.TotalSeconds, exception);
        _ = RestartAsync();
    }

    private async Task RestartAsync()
    {
        while (true)
        {
            await Task.Delay(RestartDelay).ConfigureAwait(false);
            AddressWatcher? old;
            lock (_gate)
            {
                if (_stopped) return;
                old = _watcher;
                _watcher = null;
            }
            old?.Dispose();
            try
            {
                var watcher = AddressWatcher.Start(OnKernelChanged, OnWatchFailed);
                lock (_gate)
                {
                    if (_stopped)
                    {
                        watcher.Dispose();
                        return;
                    }
                    _watcher = watcher;
                }
                return;
            }
            catch (Exception e)
            {
                OwnAddressesLog.WatchFailed(logger, RestartDelay.TotalSeconds, e);
            }
        }
    }
}
