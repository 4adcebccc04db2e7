using System.Net;
using Microsoft.Extensions.Logging;
using Replicator.RegistrationDaemon.Configuration;

namespace Replicator.RegistrationDaemon.Registration;

/// <summary>
/// Soft-state registration of every managed (VNI, local address) with the service node, and
/// what follows from its answers: when to refresh, when to retry, whether it is reachable.
/// Every registration asks for peer lists, in both modes, so that silence means unreachable.
/// Owned by the daemon loop: not thread-safe.
/// </summary>
internal sealed partial class Registrar
{
    private static readonly TimeSpan FirstRetry = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan CookieRefreshInterval = TimeSpan.FromSeconds(1);

    /// <summary>Soonest a peer-list delta that did not fit what we hold makes us register again (a resynchronisation).</summary>
    public static readonly TimeSpan ResyncInterval = TimeSpan.FromSeconds(1);

    private readonly IControlChannel _channel;
    private readonly TimeProvider _time;
    private readonly Random _random;
    private readonly RegistrationMetrics _metrics;
    private readonly ILogger _logger;
    private readonly IPAddress _serviceNode;
    private readonly Dictionary<VniAddress, int> _registered = [];
    private readonly List<VniAddress> _pendingAdds = [];
    private readonly List<VniAddress> _pendingWithdrawals = [];
    private RuntimeSettings _settings;
    private DateTimeOffset _nextRefresh = DateTimeOffset.MaxValue;
    private DateTimeOffset? _lastSend;
    private DateTimeOffset? _lastRefresh;
    private DateTimeOffset? _lastContact;
    private DateTimeOffset _registeringSince;
    private TimeSpan _retryDelay = FirstRetry;
    private DateTimeOffset _nextRetry = DateTimeOffset.MaxValue;
    private ServiceNodeState _state = ServiceNodeState.Unknown;

    public Registrar(IControlChannel channel, IPAddress serviceNode, RuntimeSettings settings, TimeProvider time, Random random,
        RegistrationMetrics metrics, ILogger logger)
    {
        _channel = channel ?? throw new ArgumentNullException(nameof(channel));
        _serviceNode = serviceNode ?? throw new ArgumentNullException(nameof(serviceNode));
        _settings = settings ?? throw new ArgumentNullException(nameof(settings));
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _random = random ?? throw new ArgumentNullException(nameof(random));
        _metrics = metrics ?? throw new ArgumentNullException(nameof(metrics));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
    }

    public ServiceNodeState State => _state;

    /// <summary>
    /// The peer-list generation held for a VNI (0: none); every registration that asks for peer lists
    /// carries them (Register key 6), which also tells the service node we speak deltas. Null: not sent.
    /// </summary>
    public Func<uint, uint>? HeldGeneration { get; set; }

    /// <summary>Resynchronisations asked for (a delta did not start from what we hold).</summary>
    public long Resyncs { get; private set; }

    public DateTimeOffset? LastContact => _lastContact;

    public DateTimeOffset? LastSend => _lastSend;

    public IEnumerable<VniAddress> Registered => _registered.Keys;

    /// <summary>Silence longer than this marks the service node unreachable: two refresh intervals.</summary>
    public TimeSpan ContactTimeout => _settings.RefreshInterval * 2;

    /// <summary>The earliest time <see cref="OnTimer"/> has something to do.</summary>
    public DateTimeOffset NextDue
    {
        get
        {
            if (_registered.Count == 0) return _lastContact is { } c && _state == ServiceNodeState.Reachable ? c + ContactTimeout : DateTimeOffset.MaxValue;
            var due = _nextRefresh;
            if (AwaitingAnswer && _nextRetry < due) due = _nextRetry;
            if (_state != ServiceNodeState.Unreachable)
            {
                var deadline = ContactBase + ContactTimeout;
                if (deadline < due) due = deadline;
            }
            return due;
        }
    }

    private bool AwaitingAnswer => _lastSend is { } s && (_lastContact is not { } c || c < s);

    private DateTimeOffset ContactBase => _lastContact is { } c && c > _registeringSince ? c : _registeringSince;

    /// <summary>Adds one user of a pair (several devices may share one); a new pair is sent by <see cref="SendPending"/>.</summary>
    public void Add(VniAddress pair)
    {
        if (_registered.TryGetValue(pair, out int users))
        {
            _registered[pair] = users + 1;
            return;
        }
        if (_registered.Count == 0)
        {
            _registeringSince = _time.GetUtcNow();
            _nextRefresh = _registeringSince + Jittered();
        }
        _registered[pair] = 1;
        _pendingWithdrawals.Remove(pair);
        _pendingAdds.Add(pair);
    }

    /// <summary>Removes one user of a pair; the last one withdraws it (hold time 0) at <see cref="SendPending"/>.</summary>
    public void Remove(VniAddress pair)
    {
        if (!_registered.TryGetValue(pair, out int users)) return;
        if (users > 1)
        {
            _registered[pair] = users - 1;
            return;
        }
        _registered.Remove(pair);
        if (!_pendingAdds.Remove(pair)) _pendingWithdrawals.Add(pair);
        if (_registered.Count == 0) _nextRefresh = DateTimeOffset.MaxValue;
    }

    /// <summary>Sends what <see cref="Add"/> and <see cref="Remove"/> queued, at once: joins and leaves are not kept waiting for the next refresh.</summary>
    public void SendPending()
    {
        if (_pendingWithdrawals.Count > 0)
        {
            Send(new RegistrationBatch(TimeSpan.Zero, [.. _pendingWithdrawals], WantPeerLists: false), expectAnswer: false);
            LogWithdrawn(_logger, _pendingWithdrawals.Count);
            _pendingWithdrawals.Clear();
        }
        if (_pendingAdds.Count > 0)
        {
            Send(new RegistrationBatch(_settings.HoldTime, [.. _pendingAdds], WantPeerLists: true) { Generations = Held(_pendingAdds) }, expectAnswer: true);
            _pendingAdds.Clear();
        }
    }

    /// <summary>A valid datagram from the service node arrived.</summary>
    public void OnContact()
    {
        var now = _time.GetUtcNow();
        _lastContact = now;
        _retryDelay = FirstRetry;
        _metrics.SetLastContact(now);
        SetState(ServiceNodeState.Reachable, now);
        // A new return-routability cookie: refresh at once (at most once a second) so that a service
        // node without authentication sees this address proven within one round trip.
        if (_registered.Count > 0 && _channel.CookieRenewed)
        {
            var at = _lastRefresh is { } last && last + CookieRefreshInterval > now ? last + CookieRefreshInterval : now;
            if (at < _nextRefresh) _nextRefresh = at;
        }
    }

    /// <summary>
    /// A delta did not start from the generation we hold (one was lost): register again at once, at most
    /// once per <see cref="ResyncInterval"/>; the answer brings the deltas we missed or the whole list.
    /// </summary>
    public void RequestResync()
    {
        if (_registered.Count == 0) return;
        var now = _time.GetUtcNow();
        var at = _lastRefresh is { } last && last + ResyncInterval > now ? last + ResyncInterval : now;
        if (at < _nextRefresh)
        {
            _nextRefresh = at;
            Resyncs++;
        }
    }

    /// <summary>Refreshes, retries and reachability that are due now.</summary>
    public void OnTimer()
    {
        var now = _time.GetUtcNow();
        if (_registered.Count > 0)
        {
            if (now >= _nextRefresh)
            {
                RefreshAll(now);
            }
            else if (AwaitingAnswer && now >= _nextRetry)
            {
                _retryDelay = _retryDelay * 2 < _settings.RefreshInterval ? _retryDelay * 2 : _settings.RefreshInterval;
                RefreshAll(now);
            }
        }
        if (_state != ServiceNodeState.Unreachable)
        {
            bool silent = _registered.Count > 0
                ? now >= ContactBase + ContactTimeout
                : _lastContact is { } c && now >= c + ContactTimeout;
            if (silent) SetState(_registered.Count > 0 ? ServiceNodeState.Unreachable : ServiceNodeState.Unknown, now);
        }
    }

    /// <summary>New hold time or refresh rate: the next refresh carries it, no later than the new interval.</summary>
    public void UpdateSettings(RuntimeSettings settings)
    {
        var previous = _settings;
        _settings = settings;
        if (_registered.Count == 0) return;
        if (settings.HoldTime != previous.HoldTime)
        {
            RefreshAll(_time.GetUtcNow());
        }
        else
        {
            var latest = _time.GetUtcNow() + settings.RefreshInterval;
            if (_nextRefresh > latest) _nextRefresh = _time.GetUtcNow() + Jittered();
        }
    }

    /// <summary>Withdraws everything (SIGTERM): the service node drops us now instead of after the hold time.</summary>
    public void WithdrawAll()
    {
        if (_registered.Count == 0) return;
        var all = _registered.Keys.ToList();
        _registered.Clear();
        _pendingAdds.Clear();
        _pendingWithdrawals.Clear();
        Send(new RegistrationBatch(TimeSpan.Zero, all, WantPeerLists: false), expectAnswer: false);
        LogWithdrawn(_logger, all.Count);
    }

    private void RefreshAll(DateTimeOffset now)
    {
        _pendingAdds.Clear();
        _lastRefresh = now;
        _nextRefresh = now + Jittered();
        // Refreshes, resynchronisations, repairs of incomplete lists and retries all come here: each names the
        // incomplete list held, if any, so its missing parts come instead of a whole new list.
        Send(new RegistrationBatch(_settings.HoldTime, [.. _registered.Keys], WantPeerLists: true) { Generations = Held(_registered.Keys), NameIncompleteList = HeldGeneration is not null },
            expectAnswer: true);
    }

    private Dictionary<uint, uint>? Held(IEnumerable<VniAddress> pairs)
    {
        if (HeldGeneration is not { } held) return null;
        var generations = new Dictionary<uint, uint>();
        foreach (var pair in pairs) generations[pair.Vni] = held(pair.Vni);
        return generations;
    }

    private void Send(RegistrationBatch batch, bool expectAnswer)
    {
        int datagrams = _channel.Send(batch);
        _metrics.RegistrationsSent(datagrams);
        LogSent(_logger, batch.Entries.Count, batch.HoldTime.TotalSeconds, datagrams);
        if (!expectAnswer) return;
        var now = _time.GetUtcNow();
        // Unanswered sends are retried after 1, 2, 4 ... s (capped at the refresh interval), so a
        // service node that comes up late is found quickly without flooding one that is down.
        if (!AwaitingAnswer) _retryDelay = FirstRetry;
        _lastSend = now;
        _nextRetry = now + _retryDelay;
    }

    // Always early, never late: a refresh is due somewhere in the last quarter before the nominal
    // interval, so jitter spreads VTEPs out without ever letting an entry reach its hold time.
    private TimeSpan Jittered() => _settings.RefreshInterval * (0.75 + 0.25 * _random.NextDouble());

    private void SetState(ServiceNodeState next, DateTimeOffset now)
    {
        if (next == _state) return;
        var previous = _state;
        _state = next;
        _metrics.SetReachable(next == ServiceNodeState.Reachable);
        if (next == ServiceNodeState.Unreachable)
        {
            double silent = (now - ContactBase).TotalSeconds;
            LogUnreachable(_logger, _serviceNode, silent);
        }
        else if (next == ServiceNodeState.Reachable && previous == ServiceNodeState.Unreachable)
        {
            LogReachableAgain(_logger, _serviceNode);
        }
        else if (next == ServiceNodeState.Reachable)
        {
            LogReachable(_logger, _serviceNode);
        }
    }

    [LoggerMessage(EventId = RegistrationDaemonEventIds.RegistrationSent, Level = LogLevel.Debug, Message = "Sent registration of {Count} (VNI, address) pairs, hold time {HoldTimeSeconds} s, in {Datagrams} datagrams")]
    private static partial void LogSent(ILogger logger, int count, double holdTimeSeconds, int datagrams);

    [LoggerMessage(EventId = RegistrationDaemonEventIds.RegistrationWithdrawn, Level = LogLevel.Information, Message = "Withdrew {Count} (VNI, address) pairs")]
    private static partial void LogWithdrawn(ILogger logger, int count);

    [LoggerMessage(EventId = RegistrationDaemonEventIds.ServiceNodeUnreachable, Level = LogLevel.Warning, Message = "Service node {ServiceNode} unreachable: no answer for {SilentSeconds:F1} s; keeping the last known entries (fail-static)")]
    private static partial void LogUnreachable(ILogger logger, IPAddress serviceNode, double silentSeconds);

    [LoggerMessage(EventId = RegistrationDaemonEventIds.ServiceNodeReachableAgain, Level = LogLevel.Information, Message = "Service node {ServiceNode} reachable again")]
    private static partial void LogReachableAgain(ILogger logger, IPAddress serviceNode);

    [LoggerMessage(EventId = RegistrationDaemonEventIds.ServiceNodeAnswered, Level = LogLevel.Information, Message = "Service node {ServiceNode} answered")]
    private static partial void LogReachable(ILogger logger, IPAddress serviceNode);
}
