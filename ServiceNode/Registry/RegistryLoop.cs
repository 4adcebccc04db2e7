using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Replicator.Hosting.Configuration;
using Replicator.Hosting.Systemd;
using Replicator.ServiceNode.Addresses;
using Replicator.ServiceNode.Configuration;

namespace Replicator.ServiceNode.Registry;

/// <summary>
/// The registry's single control loop. Every mutation (registrations, learning, operator changes,
/// ageing) is a work item run here one at a time, so <see cref="Registry"/> needs no locks. After
/// each batch of work the loop publishes the changed VNIs' member snapshots and tells the
/// <see cref="IMembershipListener"/>s (the peer-list pusher); just before publishing it tells the
/// <see cref="IBatchListener"/>s (the answers held back until the batch ends), so those leave first.
/// </summary>
internal sealed partial class RegistryLoop : BackgroundService, IRegistryWriter
{
    private const int MaxBatch = 256;
    private const int LearnQueueCapacity = 4096;

    private int _registrationsQueued;
    private readonly Channel<Action<Registry>> _work = Channel.CreateUnbounded<Action<Registry>>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ConcurrentQueue<(uint Vni, VtepAddress Address)> _learns = new();
    private readonly Action<Registry> _drainLearns;
    private readonly Registry _registry;
    private readonly IReloadableOptions<RegistryOptions> _options;
    private readonly StaticEntriesStore _store;
    private readonly IMembershipListener[] _listeners;
    private readonly IExportListener[] _exportListeners;
    private readonly IBatchListener[] _batchListeners;
    private readonly RegistryMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly OwnAddresses _own;
    private readonly ILogger _logger;
    private readonly Heartbeat? _heartbeat;
    private ITimer? _ageTimer;
    private int _learnCount;
    private int _learnScheduled;
    private long _learnDropped;

    public RegistryLoop(Registry registry, IReloadableOptions<RegistryOptions> options, StaticEntriesStore store,
        IEnumerable<IMembershipListener> listeners, RegistryMetrics metrics, TimeProvider time, OwnAddresses own, ILogger<RegistryLoop> logger,
        WatchdogHeartbeats? heartbeats = null, IEnumerable<IExportListener>? exportListeners = null, IEnumerable<IBatchListener>? batchListeners = null)
    {
        _batchListeners = [.. batchListeners ?? []];
        _registry = registry ?? throw new ArgumentNullException(nameof(registry));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _listeners = [.. listeners ?? throw new ArgumentNullException(nameof(listeners))];
        _exportListeners = [.. exportListeners ?? []];
        _metrics = metrics ?? throw new ArgumentNullException(nameof(metrics));
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _own = own ?? throw new ArgumentNullException(nameof(own));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        _drainLearns = DrainLearns;
        // The watchdog's probe is an empty work item: the loop beats once it has run a batch.
        _heartbeat = heartbeats?.Register("registry loop", () => Post(static _ => { }));
    }

    /// <summary>Learn requests dropped because the queue was full (the data plane reported faster than the loop learns).</summary>
    public long LearnDropped => Interlocked.Read(ref _learnDropped);

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        // Static entries are in place before anything else can talk to the registry. The start-up
        // check already proved the file readable; a failure here is a race and stops start-up.
        // The own addresses come first: a static entry naming one of them is refused like any other.
        _own.Changed += OnOwnChanged;
        _registry.Own = _own.Current;
        var (entries, warnings) = _store.LoadWithWarnings();
        foreach (string warning in warnings) Log.StaticEntriesJournalTorn(_logger, warning);
        var result = _registry.ReplaceStatic(entries, persist: false);
        if (!result.Succeeded) throw new InvalidOperationException($"static entries in {_store.Path}: {result.Message}");
        _store.Open(_registry.StaticEntries);
        _registry.PersistStatic = _store;
        Log.StaticEntriesLoaded(_logger, entries.Count, _store.Path);
        AfterBatch();

        _options.Changed += OnOptionsChanged;
        var interval = _options.Current.AgeCheckInterval;
        _ageTimer = _time.CreateTimer(static s => ((RegistryLoop)s!).Post(static r => r.ExpireDue()), this, interval, interval);
        return base.StartAsync(cancellationToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        _options.Changed -= OnOptionsChanged;
        _own.Changed -= OnOwnChanged;
        if (_ageTimer is not null) await _ageTimer.DisposeAsync();
        _work.Writer.TryComplete();
        await base.StopAsync(cancellationToken);
        // The loop has stopped: nothing else touches the store now.
        _store.Close();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var reader = _work.Reader;
        try
        {
            while (await reader.WaitToReadAsync(stoppingToken))
            {
                int n = 0;
                while (n < MaxBatch && reader.TryRead(out var work))
                {
                    n++;
                    try
                    {
                        work(_registry);
                    }
                    catch (Exception ex)
                    {
                        // A bug in one work item must not stop the loop: the registry's own
                        // methods validate before they change anything, so it is still consistent.
                        Log.WorkFailed(_logger, ex);
                    }
                }
                AfterBatch();
                _heartbeat?.Beat();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private void AfterBatch()
    {
        // Before publishing: what the batch's work items hold back (answers) leaves ahead of the pushes.
        foreach (var listener in _batchListeners)
        {
            try
            {
                listener.OnBatchEnding(_registry);
            }
            catch (Exception ex)
            {
                Log.WorkFailed(_logger, ex);
            }
        }
        var changed = _registry.PublishChanges();
        if (changed.Count > 0)
        {
            foreach (var listener in _listeners)
            {
                try
                {
                    listener.OnMembershipChanged(_registry, changed);
                }
                catch (Exception ex)
                {
                    Log.WorkFailed(_logger, ex);
                }
            }
        }
        if (_registry.HasExportChanges)
        {
            foreach (var listener in _exportListeners)
            {
                try
                {
                    listener.OnExportsChanged(_registry);
                }
                catch (Exception ex)
                {
                    Log.WorkFailed(_logger, ex);
                }
            }
        }
        _metrics.Update(RegistryCounts.From(_registry));
    }

    public Task<T> InvokeAsync<T>(Func<Registry, T> work, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(work);
        var completion = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        bool posted = _work.Writer.TryWrite(registry =>
        {
            if (cancellationToken.IsCancellationRequested)
            {
                completion.TrySetCanceled(cancellationToken);
                return;
            }
            try
            {
                completion.TrySetResult(work(registry));
            }
            catch (Exception ex)
            {
                completion.TrySetException(ex);
            }
        });
        if (!posted) completion.TrySetException(new InvalidOperationException("the registry has stopped"));
        return completion.Task.WaitAsync(cancellationToken);
    }

    public bool Post(Action<Registry> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        return _work.Writer.TryWrite(work);
    }

    /// <summary>Registrations from the network that may wait for the loop at once (each holds its decoded message).</summary>
    public const int RegistrationQueueCapacity = 4096;

    public bool TryPostRegistration(Action<Registry> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        if (Interlocked.Increment(ref _registrationsQueued) > RegistrationQueueCapacity)
        {
            Interlocked.Decrement(ref _registrationsQueued);
            return false;
        }
        if (_work.Writer.TryWrite(registry =>
            {
                Interlocked.Decrement(ref _registrationsQueued);
                work(registry);
            }))
        {
            return true;
        }
        Interlocked.Decrement(ref _registrationsQueued);
        return false;
    }

    public bool TryLearn(uint vni, ReadOnlySpan<byte> address, bool ipv6)
    {
        if (address.Length != (ipv6 ? 16 : 4)) return false;
        if (Interlocked.Increment(ref _learnCount) > LearnQueueCapacity)
        {
            Interlocked.Decrement(ref _learnCount);
            Interlocked.Increment(ref _learnDropped);
            return false;
        }
        _learns.Enqueue((vni, VtepAddress.FromBytes(address)));
        // One drain work item at a time, however many learns arrive: the channel write (which
        // locks) happens once per drain, not per datagram.
        if (Interlocked.Exchange(ref _learnScheduled, 1) == 0) _work.Writer.TryWrite(_drainLearns);
        return true;
    }

    private void DrainLearns(Registry registry)
    {
        Volatile.Write(ref _learnScheduled, 0);
        while (_learns.TryDequeue(out var learn))
        {
            Interlocked.Decrement(ref _learnCount);
            registry.Learn(learn.Vni, learn.Address);
        }
    }

    private void OnOwnChanged(OwnAddressSet set) => Post(r => r.Own = set);

    private void OnOptionsChanged(RegistryOptions options)
    {
        var limits = RegistryExtensions.LimitsFrom(options);
        Post(r => r.Limits = limits);
        _ageTimer?.Change(options.AgeCheckInterval, options.AgeCheckInterval);
    }

    public override void Dispose()
    {
        _ageTimer?.Dispose();
        base.Dispose();
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = ServiceNodeEventIds.StaticEntriesLoaded, Level = LogLevel.Information,
            Message = "Loaded {Count} static entries from {Path}")]
        public static partial void StaticEntriesLoaded(ILogger logger, int count, string path);

        [LoggerMessage(EventId = ServiceNodeEventIds.StaticEntriesJournalTorn, Level = LogLevel.Warning, Message = "{Warning}")]
        public static partial void StaticEntriesJournalTorn(ILogger logger, string warning);

        [LoggerMessage(EventId = ServiceNodeEventIds.RegistryWorkFailed, Level = LogLevel.Error,
            Message = "Registry work item failed")]
        public static partial void WorkFailed(ILogger logger, Exception exception);
    }
}
