using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Replicator.Linux.Links;
using Replicator.Linux.Neighbours;
using Replicator.Linux.Netlink;
using Replicator.Linux.Routes;
using Replicator.ServiceNode.Registry;

namespace Replicator.ServiceNode.Replication.NextHops;

/// <summary>
/// Follows the next hop of every VTEP address in the <see cref="MemberTable"/> and publishes them as immutable
/// <see cref="NextHopSnapshot"/>s for the packet path. Three watchers (links, neighbours, routes; each subscribes
/// before it dumps) wake its thread; it lets a burst settle for <see cref="NextHopTrackerSettings.CoalesceWindow"/>,
/// applies the events to a <see cref="NextHopResolver"/>, looks up the routes an event may have moved (a route
/// event: the destinations its prefix covers; lost notifications: all), resolves again from the caches the
/// destinations the events can have changed (a neighbour's: those whose next hop it is; a link's or a resync: all)
/// and publishes a new snapshot only when a next hop changed. Membership changes arrive through
/// <see cref="NotifyMembershipChanged"/> (the <see cref="NextHopMembershipRelay"/>); the workers are never touched.
/// Its netlink sockets are opened in the constructor, so they belong to the network namespace of the constructing
/// thread, whichever thread runs the loop (as <see cref="ReplicationWorker"/>'s).
/// </summary>
internal sealed class NextHopTracker : INextHopSource, IDisposable
{
    private readonly MemberTable _table;
    private readonly NextHopTrackerSettings _settings;
    private readonly ILogger _logger;
    private readonly RouteClient _routes;
    private readonly LinkWatcher _linkWatcher;
    private readonly NetlinkWatcher<Neighbour> _neighbourWatcher;
    private readonly NetlinkWatcher<KernelRoute> _routeWatcher;
    private readonly IDisposable? _membership;
    private readonly ManualResetEventSlim _wake = new(false);
    private readonly NextHopResolver _resolver = new();
    private readonly HashSet<IPAddress> _destinations = [];
    private readonly HashSet<IPAddress> _lookupNeeded = [];
    private readonly Dictionary<IPAddress, NextHop> _hops = [];
    // Which destinations go through a neighbour (ifindex, address): a neighbour event re-resolves only those.
    private readonly Dictionary<(int IfIndex, IPAddress Address), HashSet<IPAddress>> _byNeighbour = [];
    private readonly HashSet<IPAddress> _dirty = [];
    private bool _resolveAll = true;
    private volatile NextHopSnapshot _current = NextHopSnapshot.Empty;
    private Thread? _thread;
    private volatile bool _stopping;
    private volatile bool _membershipChanged = true;
    private bool _lookupAll = true;
    private bool _linksReady;
    private bool _neighboursReady;
    private bool _failed;
    private int _lastCapped = -1;
    private int _disposed;

    /// <summary>Opens the route socket and starts the three watchers; throws <see cref="Linux.Native.NativeException"/> when netlink cannot be used.</summary>
    public NextHopTracker(MemberTable table, NextHopMetrics? metrics = null, ILogger? logger = null,
        NextHopMembershipRelay? relay = null, NextHopTrackerSettings? settings = null)
    {
        ArgumentNullException.ThrowIfNull(table);
        _table = table;
        _settings = settings ?? NextHopTrackerSettings.Default;
        _logger = logger ?? NullLogger.Instance;
        Counters = new NextHopCounters();
        metrics?.Register(Counters);
        var opened = new List<IDisposable>();
        try
        {
            _routes = RouteClient.Open();
            opened.Add(_routes);
            _linkWatcher = LinkWatcher.Start(_settings.ReceiveBufferBytes, _wake.Set);
            opened.Add(_linkWatcher);
            _neighbourWatcher = NeighbourWatcher.Start(_settings.ReceiveBufferBytes, _wake.Set);
            opened.Add(_neighbourWatcher);
            // Routes are not listed: the tracker asks the kernel per destination, a resync only means "ask again".
            _routeWatcher = RouteWatcher.Start(listExisting: false, _settings.ReceiveBufferBytes, _wake.Set);
            opened.Add(_routeWatcher);
        }
        catch
        {
            foreach (var d in opened) d.Dispose();
            _wake.Dispose();
            throw;
        }
        _membership = relay?.Subscribe(NotifyMembershipChanged);
    }

    /// <inheritdoc />
    public NextHopSnapshot Current => _current;

    public NextHopCounters Counters { get; }

    /// <summary>The member table changed: read it again (cheap, never blocks; called on the control loop).</summary>
    public void NotifyMembershipChanged()
    {
        _membershipChanged = true;
        if (Volatile.Read(ref _disposed) != 0) return;
        try
        {
            _wake.Set();
        }
        catch (ObjectDisposedException)
        {
            // Disposed between the check and the call: nothing is left to wake.
        }
    }

    public void Start()
    {
        if (_thread is not null) throw new InvalidOperationException("already started");
        _thread = new Thread(Run) { IsBackground = true, Name = "vxsnd-nexthops" };
        _thread.Start();
    }

    /// <summary>Stops the thread (promptly: it waits on its wake-up, which this sets).</summary>
    public void Stop()
    {
        _stopping = true;
        _wake.Set();
        if (_thread is not null && Thread.CurrentThread != _thread) _thread.Join();
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        Stop();
        _membership?.Dispose();
        _routeWatcher.Dispose();
        _neighbourWatcher.Dispose();
        _linkWatcher.Dispose();
        _routes.Dispose();
        _wake.Dispose();
    }

    private void Run()
    {
        try
        {
            Loop();
        }
        catch (Exception e)
        {
            // A bug here must not take the daemon down: the raw path serves every destination instead.
            _failed = true;
            NextHopLog.WatchFailed(_logger, "the tracker's loop failed", e);
        }
        if (_failed)
        {
            // Nothing follows the kernel any more: no prebuilt frame may outlive a change it cannot see.
            _current = new NextHopSnapshot(_current.Version + 1, []);
            Counters.Publish(_current);
        }
    }

    private void Loop()
    {
        long nextRefresh = Stopwatch.GetTimestamp() + Ticks(_settings.RefreshInterval);
        long nextRetry = long.MaxValue;
        bool started = false;
        Interlocked.Increment(ref Counters.Resyncs[(int)NextHopResyncReason.Initial]);
        while (!_stopping && !_failed)
        {
            long now = Stopwatch.GetTimestamp();
            long deadline = Math.Min(nextRefresh, nextRetry);
            var wait = deadline <= now ? TimeSpan.Zero : Stopwatch.GetElapsedTime(now, deadline);
            if (_wake.Wait(wait))
            {
                // Let the rest of a burst (a route move is a delete, an add, neighbour updates) arrive first.
                Thread.Sleep(_settings.CoalesceWindow);
            }
            _wake.Reset();
            if (_stopping) break;
            Drain();
            now = Stopwatch.GetTimestamp();
            if (now >= nextRefresh)
            {
                nextRefresh = now + Ticks(_settings.RefreshInterval);
                _lookupAll = true;
                Interlocked.Increment(ref Counters.Resyncs[(int)NextHopResyncReason.Periodic]);
            }
            if (now >= nextRetry)
            {
                _lookupAll = true;
            }
            if (_failed || !_linksReady || !_neighboursReady)
            {
                // Resolving before both tables are known would publish "no neighbour" for everything.
                continue;
            }
            if (_membershipChanged)
            {
                _membershipChanged = false;
                ReadMembers();
            }
            bool pending = LookUpRoutes();
            nextRetry = pending ? Stopwatch.GetTimestamp() + Ticks(_settings.RetryInterval) : long.MaxValue;
            Publish();
            if (!started)
            {
                started = true;
                NextHopLog.Started(_logger, _current.Count, Counters.ByState[(int)NextHopState.Usable]);
            }
        }
    }

    /// <summary>Applies every queued event of the three watchers.</summary>
    private void Drain()
    {
        while (_linkWatcher.Events.TryRead(out var e))
        {
            switch (e.Kind)
            {
                case LinkEventKind.Resync:
                    _resolver.ResetLinks(e.Links);
                    if (_linksReady) Resynced();
                    _linksReady = true;
                    break;
                case LinkEventKind.Removed:
                    _resolver.RemoveLink(e.Link!.Index);
                    break;
                default:
                    _resolver.SetLink(e.Link!);
                    break;
            }
            // Links change rarely (MTU, MAC, up/down) and may carry many destinations: resolve them all.
            _resolveAll = true;
        }
        while (_neighbourWatcher.Events.TryRead(out var e))
        {
            switch (e.Kind)
            {
                case WatchEventKind.Resync:
                    _resolver.ResetNeighbours(e.Items);
                    if (_neighboursReady) Resynced();
                    _neighboursReady = true;
                    _resolveAll = true;
                    break;
                case WatchEventKind.Deleted:
                    _resolver.RemoveNeighbour(e.Item!);
                    MarkUsers(e.Item!);
                    break;
                default:
                    _resolver.SetNeighbour(e.Item!);
                    MarkUsers(e.Item!);
                    break;
            }
        }
        while (_routeWatcher.Events.TryRead(out var e))
        {
            if (e.Kind == WatchEventKind.Resync)
            {
                if (e.ResyncReason != WatchResyncReason.Initial) Resynced();
                _lookupAll = true;
                continue;
            }
            if (_lookupAll) continue;
            // A route can only change the path to the destinations its prefix covers (in whichever table).
            foreach (var destination in _destinations)
            {
                if (e.Item!.Covers(destination)) _lookupNeeded.Add(destination);
            }
        }
        CheckCompleted(_linkWatcher.Events.Completion, "link watcher");
        CheckCompleted(_neighbourWatcher.Events.Completion, "neighbour watcher");
        CheckCompleted(_routeWatcher.Events.Completion, "route watcher");
    }

    /// <summary>Marks the destinations whose next hop is <paramref name="neighbour"/> for resolution.</summary>
    private void MarkUsers(Neighbour neighbour)
    {
        if (_byNeighbour.TryGetValue((neighbour.IfIndex, neighbour.Address), out var users))
        {
            _dirty.UnionWith(users);
        }
    }

    private void Resynced()
    {
        _lookupAll = true;
        Interlocked.Increment(ref Counters.Resyncs[(int)NextHopResyncReason.NotificationsLost]);
        NextHopLog.Resync(_logger, NextHopResyncReason.NotificationsLost);
    }

    private void CheckCompleted(Task completion, string watcher)
    {
        if (!completion.IsCompleted || _stopping || _failed) return;
        _failed = true;
        NextHopLog.WatchFailed(_logger, $"the {watcher} ended", completion.Exception?.GetBaseException());
    }

    /// <summary>Reads the member table: every VTEP address of every VNI, up to the bound.</summary>
    private void ReadMembers()
    {
        var members = new HashSet<IPAddress>();
        foreach (var vni in _table.All)
        {
            foreach (var address in vni.Addresses)
            {
                members.Add(address);
            }
        }
        int limit = _settings.MaxDestinations;
        if (members.Count > limit)
        {
            if (_lastCapped != members.Count) NextHopLog.DestinationsCapped(_logger, members.Count, limit);
            _lastCapped = members.Count;
            // Keep those already followed first, so a growing table does not reshuffle who is served.
            var kept = members.Where(_destinations.Contains).Concat(members.Where(m => !_destinations.Contains(m))).Take(limit).ToHashSet();
            members = kept;
        }
        foreach (var added in members.Where(m => !_destinations.Contains(m)))
        {
            _lookupNeeded.Add(added);
        }
        _destinations.Clear();
        _destinations.UnionWith(members);
        _resolver.RetainRoutes(_destinations);
        _resolveAll = true;
    }

    /// <summary>Looks up the routes that may have changed; true when some got no answer (retry soon).</summary>
    private bool LookUpRoutes()
    {
        IEnumerable<IPAddress> targets = _lookupAll ? _destinations : _lookupNeeded.Where(_destinations.Contains);
        bool pending = false;
        foreach (var destination in targets)
        {
            if (_stopping) break;
            var lookup = _routes.Lookup(destination);
            Interlocked.Increment(ref Counters.Resolutions);
            _resolver.SetRoute(destination, lookup);
            _dirty.Add(destination);
            pending |= !lookup.Found && !NextHopResolver.IsNoRouteAnswer(lookup.Status.Errno);
        }
        _lookupAll = false;
        _lookupNeeded.Clear();
        return pending;
    }

    /// <summary>
    /// Resolves the destinations an event may have changed (all of them after a resync, a link or a membership
    /// change) from the caches; publishes a new snapshot when any next hop differs.
    /// </summary>
    private void Publish()
    {
        if (!_resolveAll && _dirty.Count == 0) return;
        bool changed = false;
        if (_resolveAll)
        {
            foreach (var gone in _hops.Keys.Where(d => !_destinations.Contains(d)).ToList())
            {
                Unindex(_hops[gone]);
                _hops.Remove(gone);
                changed = true;
            }
        }
        IEnumerable<IPAddress> targets = _resolveAll ? _destinations : _dirty.Where(_destinations.Contains);
        foreach (var destination in targets)
        {
            var hop = _resolver.Resolve(destination);
            if (_hops.TryGetValue(destination, out var before))
            {
                if (before == hop) continue;
                Unindex(before);
            }
            _hops[destination] = hop;
            Index(hop);
            changed = true;
            if (_logger.IsEnabled(LogLevel.Debug))
            {
                NextHopLog.Changed(_logger, destination.ToString(), hop.State, hop.Gateway?.ToString() ?? "-", hop.InterfaceIndex,
                    MacAddresses.Format(hop.DestinationMac), hop.Mtu);
            }
        }
        _resolveAll = false;
        _dirty.Clear();
        if (!changed) return;
        var snapshot = new NextHopSnapshot(_current.Version + 1, _hops.Values);
        _current = snapshot;
        Counters.Publish(snapshot);
    }

    private void Index(in NextHop hop)
    {
        if (hop.InterfaceIndex <= 0) return;
        var key = (hop.InterfaceIndex, hop.Gateway ?? hop.Destination);
        if (!_byNeighbour.TryGetValue(key, out var users))
        {
            _byNeighbour[key] = users = [];
        }
        users.Add(hop.Destination);
    }

    private void Unindex(in NextHop hop)
    {
        if (hop.InterfaceIndex <= 0) return;
        var key = (hop.InterfaceIndex, hop.Gateway ?? hop.Destination);
        if (_byNeighbour.TryGetValue(key, out var users) && users.Remove(hop.Destination) && users.Count == 0)
        {
            _byNeighbour.Remove(key);
        }
    }

    private static long Ticks(TimeSpan span) => (long)(span.TotalSeconds * Stopwatch.Frequency);
}
