using System.Net;
using Microsoft.Extensions.Logging;
using Replicator.Hosting.Addressing;
using Replicator.Linux.Links;
using Replicator.RegistrationDaemon.Configuration;
using Replicator.RegistrationDaemon.Devices;
using Replicator.RegistrationDaemon.Reconcile;
using Replicator.RegistrationDaemon.Registration;

namespace Replicator.RegistrationDaemon.Daemon;

/// <summary>
/// The daemon's state machine. Every input (link events, peer lists, settings, timer, flush)
/// enters through one method here, called from one loop, so the timer, the service node and the
/// kernel never race each other. Synchronous and clock-injected: unit tests drive it directly.
/// </summary>
internal sealed partial class DaemonCore
{
    private readonly StaticSettings _static;
    private readonly TimeProvider _time;
    private readonly RegistrationMetrics _registrationMetrics;
    private readonly ILogger _logger;
    private readonly DeviceInventory _inventory;
    private readonly PeerBook _peers = new();
    private readonly Registrar _registrar;
    private readonly IControlChannel _control;
    private readonly Reconciler _reconciler;
    private readonly DateTimeOffset _startedAt;
    private readonly HashSet<int> _familyMismatchLogged = [];
    private RuntimeSettings _settings;
    private DateTimeOffset _nextReconcile;
    private bool _paused;
    private DateTimeOffset _nextForeignLog;
    private DateTimeOffset _nextRefusedLog;
    private uint? _lastGeneration;
    private uint? _lastInstance;
    private DateTimeOffset? _relearnUntil;
    // When a part of a still incomplete split list last arrived (or it was last repaired): PeerListAssembler.QuietLimit later, register again.
    private DateTimeOffset? _lastPartAt;
    private volatile DaemonSnapshot _snapshot;
    private long _viewsInputs;
    // The local addresses of the managed devices (normalised): never a destination, whatever a list says.
    private HashSet<IPAddress> _own = [];
    private (long Inputs, long Programmed) _viewsVersion = (-1, -1);
    private IReadOnlyList<DeviceView> _deviceViews = [];
    private IReadOnlyList<PeerView> _peerViews = [];

    public DaemonCore(StaticSettings staticSettings, RuntimeSettings settings, IFdbTable fdb, IControlChannel control, TimeProvider time,
        Random random, RegistrationMetrics registrationMetrics, ReconcileMetrics reconcileMetrics, ILogger<DaemonCore> logger)
    {
        _static = staticSettings ?? throw new ArgumentNullException(nameof(staticSettings));
        _settings = settings ?? throw new ArgumentNullException(nameof(settings));
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _registrationMetrics = registrationMetrics ?? throw new ArgumentNullException(nameof(registrationMetrics));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        _inventory = new DeviceInventory(new DeviceFilter(staticSettings.Devices));
        _control = control ?? throw new ArgumentNullException(nameof(control));
        _registrar = new Registrar(control, staticSettings.ServiceNode, settings, time, random, registrationMetrics, logger);
        // Every registration that asks for peer lists says which generation we hold (PROTOCOL.md 5.2).
        _registrar.HeldGeneration = _peers.Generation;
        _reconciler = new Reconciler(fdb, reconcileMetrics, logger);
        _startedAt = time.GetUtcNow();
        _nextReconcile = _startedAt + staticSettings.ReconcileInterval;
        _snapshot = BuildSnapshot();
    }

    public DaemonSnapshot Snapshot => _snapshot;

    public RuntimeSettings Settings => _settings;

    public ServiceNodeState ServiceNodeState => _registrar.State;

    /// <summary>When <see cref="OnTimer"/> next has work: a refresh, a retry, a reachability deadline or the periodic reconcile.</summary>
    public DateTimeOffset NextDue
    {
        get
        {
            var due = _registrar.NextDue < _nextReconcile ? _registrar.NextDue : _nextReconcile;
            if (_lastPartAt is { } p && p + PeerListAssembler.QuietLimit < due) due = p + PeerListAssembler.QuietLimit;
            return _relearnUntil is { } r && r < due ? r : due;
        }
    }

    /// <summary>The peer-list generation held for a VNI (0: none).</summary>
    public uint HeldGeneration(uint vni) => _peers.Generation(vni);

    /// <summary>True while deletions are held back because the service node restarted and is relearning registrations.</summary>
    public bool Relearning => _relearnUntil is not null;

    public void OnLinks(LinkEvent e)
    {
        _viewsInputs++;
        var delta = _inventory.Apply(e);
        if (!delta.IsEmpty) _own = [.. _inventory.Managed.Select(d => AddressPolicy.Normalize(d.Local))];
        if (e.Kind == LinkEventKind.Resync && delta.IsEmpty)
        {
            // A resync after lost notifications may hide drift as well: check every device.
            ReconcileAll();
        }
        Apply(delta);
    }

    private void Apply(DeviceDelta delta)
    {
        if (delta.IsEmpty) return;
        foreach (var d in delta.Removed)
        {
            _registrar.Remove(new VniAddress(d.Vni, d.Local));
            _reconciler.Forget(d.IfIndex);
            _familyMismatchLogged.Remove(d.IfIndex);
            if (!_inventory.Managed.Any(m => m.Vni == d.Vni)) _peers.Forget(d.Vni);
            LogReleased(_logger, d.Name, d.Vni);
        }
        foreach (var d in delta.Added)
        {
            _registrar.Add(new VniAddress(d.Vni, d.Local));
            LogManaged(_logger, d.Name, d.Vni, d.Local);
        }
        // Register first so the service node starts answering, then program what is known now.
        _registrar.SendPending();
        foreach (var d in delta.Added) ReconcileDevice(d);
        _registrationMetrics.SetManagedDevices(_inventory.Managed.Count);
    }

    public void OnPeerList(PeerListUpdate update)
    {
        var sender = AddressPolicy.Normalize(update.Sender.Address);
        if (!sender.Equals(_static.ServiceNode) || update.Sender.Port != _static.ControlPort)
        {
            _registrationMetrics.ControlDropped(sender.Equals(_static.ServiceNode) ? "bad_port" : "bad_sender");
            // Rate-limited: a flood of spoofed datagrams must not become a flood of log lines.
            var now = _time.GetUtcNow();
            if (now >= _nextForeignLog)
            {
                _nextForeignLog = now + TimeSpan.FromMinutes(1);
                LogForeignPeerList(_logger, update.Sender);
            }
            return;
        }
        // Every part is contact: a service node whose list is on its way is alive, so the retry for
        // silence neither fires nor doubles; an incomplete list is the timer's business (OnTimer).
        _registrar.OnContact();
        if (update.IsPart)
        {
            _lastPartAt = _time.GetUtcNow();
            return;
        }
        if (update.IncompleteLists == 0) _lastPartAt = null;
        _registrationMetrics.PeerListReceived();
        DetectRestart(update);
        var changed = new HashSet<uint>();
        foreach (var (vni, members) in update.Members)
        {
            // Lists for VNIs we no longer serve are late answers: nothing to program.
            if (!_inventory.Managed.Any(m => m.Vni == vni)) continue;
            var admitted = Admit(vni, members);
            if (admitted is not null && _peers.Set(vni, admitted)) changed.Add(vni);
            // A refused list leaves the members as they were, which are no generation the service node named.
            _peers.SetGeneration(vni, admitted is null ? 0 : update.Generations?.GetValueOrDefault(vni) ?? 0);
        }
        if (update.Deltas is { } deltas) ApplyDeltas(deltas, changed);
        if (changed.Count > 0) _viewsInputs++;
        if (changed.Count == 0 || _settings.Mode != ReplicationMode.HeadEnd) return;
        foreach (var d in _inventory.Managed.Where(d => changed.Contains(d.Vni)).ToList()) ReconcileDevice(d);
    }

    // Deltas (PROTOCOL.md 5.2), in order: each one that starts from the generation we hold is applied
    // (the kernel then gets only the adds and deletes); a repeat of what we hold is ignored; when a VNI
    // does not end at the generation its deltas end at, one was lost (or we held none): register again
    // at once, rate-limited, and the answer repairs it.
    private void ApplyDeltas(IReadOnlyList<Protocol.Control.PeerListDelta> deltas, HashSet<uint> changed)
    {
        bool resync = false;
        int applied = 0, repeated = 0, mismatched = 0;
        foreach (var group in deltas.GroupBy(d => d.Vni))
        {
            uint vni = group.Key;
            if (!_inventory.Managed.Any(m => m.Vni == vni)) continue;
            uint held = _peers.Generation(vni);
            uint last = 0;
            foreach (var d in group)
            {
                last = d.Generation;
                if (held != 0 && held == d.BaseGeneration)
                {
                    applied++;
                    if (ApplyDelta(vni, d)) changed.Add(vni);
                    held = _peers.Generation(vni);
                }
                else if (held != 0 && held == d.Generation) repeated++;
                else mismatched++;
            }
            if (held != last) resync = true;
        }
        if (applied > 0) _registrationMetrics.Deltas("applied", applied);
        if (repeated > 0) _registrationMetrics.Deltas("repeated", repeated);
        if (mismatched > 0) _registrationMetrics.Deltas("mismatched", mismatched);
        if (resync)
        {
            _registrationMetrics.Resync();
            _registrar.RequestResync();
        }
    }

    // One delta on top of the held set: the added addresses through the address policy, the result
    // within MaxPeersPerVni (else refused: the VNI keeps its members and holds no generation).
    private bool ApplyDelta(uint vni, Protocol.Control.PeerListDelta delta)
    {
        var added = Admit(vni, delta.Added);
        int now = _peers.TryGet(vni, out var current) ? current.Count : 0;
        if (added is null || now + added.Count - delta.Removed.Count > _static.MaxPeersPerVni + _own.Count)
        {
            if (added is not null) _registrationMetrics.PeerListRefused("max_peers_per_vni");
            _peers.SetGeneration(vni, 0);
            return false;
        }
        bool changed = _peers.Change(vni, added, delta.Removed);
        _peers.SetGeneration(vni, delta.Generation);
        return changed;
    }

    // What of one VNI's list may become kernel entries: every address through the address policy
    // (the refused ones are left out, counted and logged), and at most MaxPeersPerVni peers, else
    // null: the whole list is refused and the VNI keeps its previous members (fail-static).
    private List<IPAddress>? Admit(uint vni, IReadOnlyList<IPAddress> members)
    {
        var usable = new List<IPAddress>(Math.Min(members.Count, _static.MaxPeersPerVni + 1));
        Span<int> refused = stackalloc int[(int)AddressRefusal.Own + 1];
        (IPAddress Address, AddressRefusal Reason)? example = null;
        int ownCount = 0;
        foreach (var member in members)
        {
            var address = AddressPolicy.Normalize(member);
            var reason = AddressPolicy.Classify(address);
            if (reason != AddressRefusal.None)
            {
                refused[(int)reason]++;
                example ??= (address, reason);
                continue;
            }
            if (IsOwn(address)) ownCount++;
            usable.Add(address);
        }
        if (example is { } e)
        {
            int total = 0;
            for (int r = 0; r < refused.Length; r++)
            {
                _registrationMetrics.PeersRefused(AddressPolicy.Tag((AddressRefusal)r), refused[r]);
                total += refused[r];
            }
            var now = _time.GetUtcNow();
            if (now >= _nextRefusedLog)
            {
                _nextRefusedLog = now + TimeSpan.FromMinutes(1);
                LogPeersRefused(_logger, total, vni, e.Address, AddressPolicy.Describe(e.Reason));
            }
        }
        int peers = usable.Count - ownCount;
        if (peers <= _static.MaxPeersPerVni) return usable;
        _registrationMetrics.PeerListRefused("max_peers_per_vni");
        LogTooManyPeers(_logger, vni, peers, _static.MaxPeersPerVni);
        return null;
    }

    private bool IsOwn(IPAddress address) => _own.Contains(address);

    // A service node that restarted has forgotten every registration; for one refresh interval its
    // peer lists miss the VTEPs that have not refreshed yet, so only add entries until every VTEP has
    // had a chance to register again. The sign (PROTOCOL.md 5.3): the instance it names changed; from
    // one that names none, its message counter going back. Not the counter when an instance is named:
    // a kept full list is repeated under its first generation, older than what arrived meanwhile.
    private void DetectRestart(PeerListUpdate update)
    {
        string? sign = null;
        if (update.Instance is not null || _lastInstance is not null)
        {
            if (_lastGeneration is not null && update.Instance != _lastInstance) sign = $"instance {Show(_lastInstance)} -> {Show(update.Instance)}";
        }
        else if (update.Repaired)
        {
            // A list completed by a repeated answer carries the generation of its first parts, older than
            // what arrived meanwhile (state statements, other answers): not the sign of a restart.
            return;
        }
        else if (_lastGeneration is { } last && update.Generation < last)
        {
            sign = $"peer-list generation {last} -> {update.Generation}";
        }
        if (sign is not null)
        {
            var until = _time.GetUtcNow() + _settings.RefreshInterval + TimeSpan.FromSeconds(1);
            _relearnUntil = until;
            LogRelearning(_logger, sign, (until - _time.GetUtcNow()).TotalSeconds);
        }
        _lastGeneration = update.Generation;
        _lastInstance = update.Instance;
    }

    private static string Show(uint? instance) => instance is { } i ? $"{i:x8}" : "none";

    public void OnSettings(RuntimeSettings settings)
    {
        var previous = _settings;
        if (settings == previous) return;
        _settings = settings;
        _registrar.UpdateSettings(settings);
        if (settings.Mode != previous.Mode)
        {
            LogModeChanged(_logger, previous.Mode, settings.Mode);
            ReconcileAll();
        }
    }

    public void OnTimer()
    {
        var now = _time.GetUtcNow();
        if (_lastPartAt is { } lastPart && now >= lastPart + PeerListAssembler.QuietLimit) RepairIncomplete(now);
        _registrar.OnTimer();
        if (_relearnUntil is { } r && now >= r)
        {
            _relearnUntil = null;
            ReconcileAll();
        }
        if (now >= _nextReconcile)
        {
            _nextReconcile = now + _static.ReconcileInterval;
            ReconcileAll();
        }
    }

    // A split list has had no new part for QuietLimit: a part was lost and will not come (nothing resends
    // it). Register again at once, at most once a second, keeping the list's parts and naming them (Register
    // key 7): the answer brings the missing parts and then the deltas since the list's generations, even when
    // those have moved on (PROTOCOL.md 5.2, "missing parts only"); a service node that no longer has the
    // message answers as before. The assembler's bounds and PendingLifetime still give a list up that never completes.
    private void RepairIncomplete(DateTimeOffset now)
    {
        var (quiet, remaining) = _control.RepairQuiet(PeerListAssembler.QuietLimit);
        // Held lists (still receiving parts, or just repaired) are looked at again after another quiet period.
        _lastPartAt = remaining > 0 ? now : null;
        if (quiet == 0) return;
        _registrationMetrics.IncompleteLists(quiet);
        _registrationMetrics.Resync();
        _registrar.RequestResync();
    }

    /// <summary><c>vxrd flush</c>: deletes the default destinations of every managed device and stops programming until restart.</summary>
    public int Flush()
    {
        _paused = true;
        int deleted = 0;
        foreach (var d in _inventory.Managed.ToList()) deleted += _reconciler.Flush(d);
        LogFlushed(_logger, deleted);
        return deleted;
    }

    /// <summary>SIGTERM: withdraw every registration; kernel entries stay so forwarding goes on.</summary>
    public void Shutdown() => _registrar.WithdrawAll();

    /// <summary>Captures the state for readers on other threads; the loop calls it after each step.</summary>
    public void Publish() => _snapshot = BuildSnapshot();

    private void ReconcileAll()
    {
        foreach (var d in _inventory.Managed.ToList()) ReconcileDevice(d);
    }

    private void ReconcileDevice(ManagedDevice device)
    {
        if (_paused) return;
        _reconciler.Reconcile(device, Desired(device), allowDeletes: _relearnUntil is null || _settings.Mode != ReplicationMode.HeadEnd);
    }

    /// <summary>The default destinations a device should have, or null when that is not known yet (keep what is there).</summary>
    private IReadOnlySet<IPAddress>? Desired(ManagedDevice device)
    {
        var family = device.Local.AddressFamily;
        if (_settings.Mode == ReplicationMode.ServiceNode)
        {
            if (_static.ServiceNode.AddressFamily == family) return new HashSet<IPAddress> { _static.ServiceNode };
            if (_familyMismatchLogged.Add(device.IfIndex)) LogFamilyMismatch(_logger, device.Name, device.Local, _static.ServiceNode);
            return null;
        }
        if (!_peers.TryGet(device.Vni, out var members)) return null;
        var desired = new HashSet<IPAddress>();
        foreach (var m in members)
        {
            // Other-family members belong to the VNI's other devices; our own addresses would loop.
            if (m.AddressFamily == family && !IsOwn(m)) desired.Add(m);
        }
        return desired;
    }

    private DaemonSnapshot BuildSnapshot()
    {
        var now = _time.GetUtcNow();
        // The views list every destination and peer (thousands with large VNIs): rebuilt only when
        // links, peers or kernel entries changed, not after every timer step.
        var version = (_viewsInputs, _reconciler.Version);
        if (version != _viewsVersion)
        {
            _viewsVersion = version;
            (_deviceViews, _peerViews) = BuildViews();
        }
        var devices = _deviceViews;
        var peers = _peerViews;
        var contact = _registrar.LastContact;
        return new DaemonSnapshot(
            _settings.Mode.ToString(), _static.ServiceNode.ToString(), _static.ControlPort, _registrar.State.ToString(),
            _registrar.State == ServiceNodeState.Reachable, contact, contact is { } c ? (now - c).TotalSeconds : null, _registrar.LastSend,
            _settings.HoldTime.TotalSeconds, _settings.RefreshRate, _static.ReconcileInterval.TotalSeconds, _paused,
            _startedAt, now, devices, peers, _registrar.Registered.Count());
    }

    private (IReadOnlyList<DeviceView>, IReadOnlyList<PeerView>) BuildViews()
    {
        var devices = new List<DeviceView>();
        foreach (var link in _inventory.Links)
        {
            var reason = _inventory.Classify(link);
            bool managed = reason == IgnoreReason.None;
            devices.Add(new DeviceView(link.Name, link.Index, link.IsVxlan, DeviceInventory.Vni(link), link.Vxlan?.Local?.ToString(), link.Vxlan?.Remote?.ToString(), link.IsUp,
                managed, ReasonText(reason),
                managed ? [.. _reconciler.Programmed(link.Index).Select(a => a.ToString())] : []));
        }
        var peers = new List<PeerView>();
        foreach (var (vni, members) in _peers.All)
        {
            var local = _inventory.Managed.Where(d => d.Vni == vni).ToList();
            foreach (var m in members)
            {
                bool self = local.Any(d => d.Local.Equals(m));
                bool programmed = local.Any(d => _reconciler.Programmed(d.IfIndex).Contains(m));
                peers.Add(new PeerView(vni, m.ToString(), self, programmed));
            }
        }
        return (devices, peers);
    }

    private static string ReasonText(IgnoreReason reason) => reason switch
    {
        IgnoreReason.None => "managed",
        IgnoreReason.NotVxlan => "not vxlan",
        IgnoreReason.NotInDevices => "not in Devices",
        IgnoreReason.NoVni => "no VNI (external mode)",
        IgnoreReason.Down => "down",
        IgnoreReason.NoLocalAddress => "no local address",
        _ => reason.ToString(),
    };

    [LoggerMessage(EventId = RegistrationDaemonEventIds.DeviceManaged, Level = LogLevel.Information, Message = "Managing {Device}: VNI {Vni}, local {Local}")]
    private static partial void LogManaged(ILogger logger, string device, uint vni, IPAddress local);

    [LoggerMessage(EventId = RegistrationDaemonEventIds.DeviceReleased, Level = LogLevel.Information, Message = "No longer managing {Device} (VNI {Vni}); its registration is withdrawn")]
    private static partial void LogReleased(ILogger logger, string device, uint vni);

    [LoggerMessage(EventId = RegistrationDaemonEventIds.ForeignPeerList, Level = LogLevel.Warning, Message = "Dropped a peer list from {Sender}: not the configured service node address and port (logged at most once a minute; see vxrd.control.dropped)")]
    private static partial void LogForeignPeerList(ILogger logger, IPEndPoint sender);

    [LoggerMessage(EventId = RegistrationDaemonEventIds.ModeChanged, Level = LogLevel.Information, Message = "Mode changed from {Previous} to {Mode}: reprogramming every managed device")]
    private static partial void LogModeChanged(ILogger logger, ReplicationMode previous, ReplicationMode mode);

    [LoggerMessage(EventId = RegistrationDaemonEventIds.DestinationsFlushed, Level = LogLevel.Warning, Message = "Flushed {Count} default destinations; programming is paused until vxrd restarts")]
    private static partial void LogFlushed(ILogger logger, int count);

    [LoggerMessage(EventId = RegistrationDaemonEventIds.Relearning, Level = LogLevel.Warning, Message = "The service node restarted, or another node of its cluster answered ({Sign}): only adding entries for {Seconds:F1} s in case it is relearning registrations")]
    private static partial void LogRelearning(ILogger logger, string sign, double seconds);

    [LoggerMessage(EventId = RegistrationDaemonEventIds.PeersRefused, Level = LogLevel.Warning, Message = "Left out {Count} addresses of the service node's list for VNI {Vni} that can never be a VTEP: e.g. {Address} {Reason} (logged at most once a minute; see vxrd.peers.refused)")]
    private static partial void LogPeersRefused(ILogger logger, int count, uint vni, IPAddress address, string reason);

    [LoggerMessage(EventId = RegistrationDaemonEventIds.TooManyPeers, Level = LogLevel.Warning, Message = "Refused the service node's list for VNI {Vni}: {Count} peers, more than MaxPeersPerVni {Max}; the VNI keeps its previous members")]
    private static partial void LogTooManyPeers(ILogger logger, uint vni, int count, int max);

    [LoggerMessage(EventId = RegistrationDaemonEventIds.FamilyMismatch, Level = LogLevel.Warning, Message = "{Device} has local address {Local} but the service node {ServiceNode} is of the other family: its entries are left alone")]
    private static partial void LogFamilyMismatch(ILogger logger, string device, IPAddress local, IPAddress serviceNode);
}
