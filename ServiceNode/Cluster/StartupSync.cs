using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Replicator.Hosting.Authentication;
using Replicator.Hosting.Configuration;
using Replicator.Hosting.Health;
using Replicator.Protocol.Control;
using Replicator.ServiceNode.Configuration;
using Replicator.ServiceNode.Registry;

namespace Replicator.ServiceNode.Cluster;

/// <summary>
/// Before this node serves anything, pulls the table from a peer and merges it. Its
/// <see cref="StartAsync"/> returns only when the sync is over (at most <c>SyncTimeout</c> plus the
/// merge), and it is registered before the control plane, so the control socket opens on a full
/// table: a VTEP never gets a peer list from a half-filled registry (in HeadEnd mode that would make
/// it drop the missing peers' FDB entries). All peers are asked at once, each retried until the
/// deadline (a peer that is itself starting refuses); the first complete transfer wins.
/// </summary>
internal sealed class StartupSync : IHostedService
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(250);

    private readonly ClusterState _state;
    private readonly IRegistryWriter _writer;
    private readonly IReloadableOptions<ClusterOptions> _options;
    private readonly IReloadableOptions<RegistryOptions> _registry;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ReadinessCondition? _condition;
    private readonly ControlAuthentication? _authentication;

    public StartupSync(ClusterState state, IRegistryWriter writer, IReloadableOptions<ClusterOptions> options,
        IReloadableOptions<RegistryOptions> registry, TimeProvider time, ILogger<StartupSync> logger, IServiceProvider? services = null)
    {
        // With the observability feature, /readyz names the sync while it runs ("unmet: cluster synced").
        _condition = services?.GetService<ReadinessState>()?.Register(ClusterReadiness.ConditionName);
        _authentication = services?.GetService<ControlAuthentication>();
        _state = state ?? throw new ArgumentNullException(nameof(state));
        _writer = writer ?? throw new ArgumentNullException(nameof(writer));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _registry = registry ?? throw new ArgumentNullException(nameof(registry));
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await SyncAsync(cancellationToken);
        }
        finally
        {
            // Whatever happened, the node goes on (empty if need be): a cluster must be able to cold-start.
            _state.Readiness.MarkSynced();
            _condition?.Set(true);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task SyncAsync(CancellationToken cancellationToken)
    {
        if (_state.Peers.Count == 0)
        {
            ClusterLog.SyncNotNeeded(_logger);
            return;
        }
        var timeout = _options.Current.SyncTimeout;
        ClusterLog.SyncStarted(_logger, _state.Peers.Count, timeout);
        var started = Stopwatch.StartNew();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        int maxEntries = _registry.Current.MaxEntries;

        var attempts = _state.Peers.Select(peer => FetchWithRetryAsync(peer, maxEntries, deadline.Token)).ToList();
        var failures = new List<(ClusterPeer Peer, string Reason)>();
        while (attempts.Count > 0)
        {
            var done = await Task.WhenAny(attempts);
            attempts.Remove(done);
            var (peer, entries, reason) = await done;
            if (entries is null)
            {
                failures.Add((peer, reason!));
                continue;
            }
            await deadline.CancelAsync(); // the others can stop
            var result = await _writer.InvokeAsync(r => SyncMerge.Apply(r, entries), cancellationToken);
            peer.Synced(new SyncRecord(_time.GetUtcNow(), entries.Count, null));
            ClusterLog.SyncMerged(_logger, result.Applied, entries.Count, peer.Address.Text, started.ElapsedMilliseconds, result.Skipped + result.Rejected);
            await Task.WhenAll(attempts); // never throw: failures are results
            return;
        }
        cancellationToken.ThrowIfCancellationRequested();
        foreach (var (peer, reason) in failures) peer.Synced(new SyncRecord(_time.GetUtcNow(), 0, reason));
        ClusterLog.SyncNoPeer(_logger, timeout, string.Join("; ", failures.Select(f => $"{f.Peer.Address}: {f.Reason}")));
    }

    private async Task<(ClusterPeer Peer, List<SyncEntry>? Entries, string? Reason)> FetchWithRetryAsync(ClusterPeer peer, int maxEntries, CancellationToken deadline)
    {
        string reason = "no answer";
        while (true)
        {
            try
            {
                var entries = await SyncClient.FetchAsync(peer.SyncEndPoint, maxEntries, deadline, _authentication);
                return (peer, entries, null);
            }
            catch (SyncException ex)
            {
                reason = ex.Message;
                ClusterLog.SyncAttemptFailed(_logger, peer.Address.Text, reason);
            }
            catch (OperationCanceledException)
            {
                break;
            }
            try
            {
                await Task.Delay(RetryDelay, _time, deadline);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
        // Recorded by the caller only when no peer delivered: a peer not needed is not a failure.
        return (peer, null, reason);
    }
}
