using System.Collections.Immutable;
using System.Net;
using Microsoft.Extensions.Logging;
using Replicator.Linux.Native;
using Replicator.RegistrationDaemon.Devices;
using Replicator.RegistrationDaemon.Registration;

namespace Replicator.RegistrationDaemon.Reconcile;

/// <summary>
/// Makes the kernel's default-destination entries of one managed device equal a desired set:
/// reads them, adds what is missing, then deletes what is extra (add first, so BUM traffic
/// always has somewhere to go). A null desired set means "not known yet" (head-end before the
/// first peer list): the entries found are adopted and left alone. Touches nothing but the
/// 00:00:00:00:00:00 entries of the device it is given. Owned by the daemon loop.
/// </summary>
internal sealed partial class Reconciler
{
    private static readonly IComparer<IPAddress> Order = Comparer<IPAddress>.Create(AddressOrder.Compare);

    private readonly IFdbTable _fdb;
    private readonly ReconcileMetrics _metrics;
    private readonly ILogger _logger;
    // What the kernel held after the last complete run of each device (a hash set: a periodic run
    // over thousands of entries compares in linear time), its sorted copy for readers (rebuilt
    // only when it changed), and the desired set that run achieved: a later run that finds a
    // difference under the same desired set is drift.
    private readonly Dictionary<int, HashSet<IPAddress>> _seen = [];
    private readonly Dictionary<int, ImmutableSortedSet<IPAddress>> _programmed = [];
    private readonly Dictionary<int, HashSet<IPAddress>> _achieved = [];
    private readonly Dictionary<int, (int Missing, int Extra)> _unconfirmed = [];

    public Reconciler(IFdbTable fdb, ReconcileMetrics metrics, ILogger logger)
    {
        _fdb = fdb ?? throw new ArgumentNullException(nameof(fdb));
        _metrics = metrics ?? throw new ArgumentNullException(nameof(metrics));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
    }

    /// <summary>Grows whenever what <see cref="Programmed"/> returns changes for any device (readers rebuild their views only then).</summary>
    public long Version { get; private set; }

    /// <summary>The default destinations last seen in the kernel for a device (empty when never read).</summary>
    public ImmutableSortedSet<IPAddress> Programmed(int ifIndex) =>
        _programmed.TryGetValue(ifIndex, out var set) ? set : ImmutableSortedSet.Create(Order);

    /// <param name="allowDeletes">False while the service node relearns its registrations after a restart: only add.</param>
    public ReconcileOutcome Reconcile(ManagedDevice device, IReadOnlySet<IPAddress>? desired, bool allowDeletes = true)
    {
        _metrics.Run();
        var error = _fdb.Dump(device.IfIndex, out var found);
        if (error != Errno.SUCCESS)
        {
            LogDumpFailed(_logger, device.Name, error);
            _achieved.Remove(device.IfIndex);
            return ReconcileOutcome.DumpFailed;
        }
        var current = new HashSet<IPAddress>(found.Count);
        foreach (var a in found) current.Add(Hosting.Addressing.AddressPolicy.Normalize(a));
        bool firstLook = !_seen.ContainsKey(device.IfIndex);
        if (desired is null)
        {
            Seen(device.IfIndex, current);
            if (firstLook && current.Count > 0) LogAdopted(_logger, current.Count, device.Name);
            return new ReconcileOutcome(true, 0, 0, 0, 0);
        }

        bool sameTarget = _achieved.TryGetValue(device.IfIndex, out var achieved) && achieved.SetEquals(desired);
        // Only what differs is sorted (changes go out in address order); the common periodic run finds nothing.
        var missing = desired.Where(a => !current.Contains(a)).Order(Order).ToList();
        var extra = current.Where(a => !desired.Contains(a)).Order(Order).ToList();
        int added = 0, deleted = 0, failed = 0, postponed = 0;
        var result = missing.Count + extra.Count == 0 ? current : new HashSet<IPAddress>(current);
        foreach (var address in missing)
        {
            // EEXIST: someone (or a racing notification) was faster; the entry is there, as wanted.
            var e = _fdb.Append(device.IfIndex, address);
            bool ok = e is Errno.SUCCESS or Errno.EEXIST;
            _metrics.Operation(add: true, ok);
            if (ok) { added++; result.Add(address); }
            else { failed++; LogOperationFailed(_logger, "add", address, device.Name, e); }
        }
        foreach (var address in extra)
        {
            if (!allowDeletes) { postponed++; continue; }
            // ENOENT: already gone, which is what we wanted.
            var e = _fdb.Delete(device.IfIndex, address);
            bool ok = e is Errno.SUCCESS or Errno.ENOENT;
            _metrics.Operation(add: false, ok);
            if (ok) { deleted++; result.Remove(address); }
            else { failed++; LogOperationFailed(_logger, "delete", address, device.Name, e); }
        }
        int drift = sameTarget ? added + deleted : 0;
        if (failed == 0 && postponed == 0 && (added + deleted == 0 || Confirmed(device, desired, ref result)))
        {
            if (!sameTarget) _achieved[device.IfIndex] = [.. desired];
        }
        else
        {
            _achieved.Remove(device.IfIndex);
        }
        Seen(device.IfIndex, result);
        if (drift > 0)
        {
            _metrics.DriftRepaired(drift);
            LogDriftRepaired(_logger, device.Name, added, deleted);
        }
        else if (added + deleted > 0)
        {
            LogChanged(_logger, device.Name, added, deleted, desired.Count);
        }
        return new ReconcileOutcome(failed == 0, added, deleted, failed, drift);
    }

    // Drift is a difference found later under a target the kernel was SEEN to hold, never one the
    // operations merely reported done: after changing entries, read them back once. A kernel that
    // does not show what it acknowledged (a dump that misses entries) is logged here, and the next
    // run compares against no achieved target, so our own adds are never counted as repairs.
    private bool Confirmed(ManagedDevice device, IReadOnlySet<IPAddress> desired, ref HashSet<IPAddress> result)
    {
        if (_fdb.Dump(device.IfIndex, out var found) != Errno.SUCCESS) return false;
        var now = new HashSet<IPAddress>(found.Count);
        foreach (var a in found) now.Add(Hosting.Addressing.AddressPolicy.Normalize(a));
        result = now;
        if (now.SetEquals(desired))
        {
            _unconfirmed.Remove(device.IfIndex);
            return true;
        }
        var gap = (desired.Count(a => !now.Contains(a)), now.Count(a => !desired.Contains(a)));
        // Once per device and gap: a kernel that keeps hiding the same entries is reported once, not every interval.
        if (!_unconfirmed.TryGetValue(device.IfIndex, out var reported) || reported != gap)
        {
            _unconfirmed[device.IfIndex] = gap;
            LogNotConfirmed(_logger, device.Name, gap.Item1, gap.Item2);
        }
        return false;
    }

    // Records what the kernel holds; the sorted copy and the version move only when it changed.
    private void Seen(int ifIndex, HashSet<IPAddress> now)
    {
        if (_seen.TryGetValue(ifIndex, out var before) && before.SetEquals(now)) return;
        _seen[ifIndex] = now;
        _programmed[ifIndex] = now.ToImmutableSortedSet(Order);
        Version++;
    }

    /// <summary>Deletes every default destination of the device (<c>vxrd flush</c>); returns how many.</summary>
    public int Flush(ManagedDevice device)
    {
        var error = _fdb.Dump(device.IfIndex, out var found);
        if (error != Errno.SUCCESS)
        {
            LogDumpFailed(_logger, device.Name, error);
            return 0;
        }
        int deleted = 0;
        var remaining = new HashSet<IPAddress>(found.Select(Hosting.Addressing.AddressPolicy.Normalize));
        foreach (var address in found)
        {
            var e = _fdb.Delete(device.IfIndex, address);
            bool ok = e is Errno.SUCCESS or Errno.ENOENT;
            _metrics.Operation(add: false, ok);
            if (ok) { deleted++; remaining.Remove(Hosting.Addressing.AddressPolicy.Normalize(address)); }
            else LogOperationFailed(_logger, "delete", address, device.Name, e);
        }
        Seen(device.IfIndex, remaining);
        _achieved.Remove(device.IfIndex);
        return deleted;
    }

    /// <summary>The device is no longer managed: forget what was known about it.</summary>
    public void Forget(int ifIndex)
    {
        _seen.Remove(ifIndex);
        _unconfirmed.Remove(ifIndex);
        if (_programmed.Remove(ifIndex)) Version++;
        _achieved.Remove(ifIndex);
    }

    [LoggerMessage(EventId = RegistrationDaemonEventIds.FdbDumpFailed, Level = LogLevel.Warning, Message = "Cannot read the FDB of {Device}: {Error}")]
    private static partial void LogDumpFailed(ILogger logger, string device, Errno error);

    [LoggerMessage(EventId = RegistrationDaemonEventIds.FdbOperationFailed, Level = LogLevel.Warning, Message = "FDB {Operation} of default destination {Address} on {Device} failed: {Error}")]
    private static partial void LogOperationFailed(ILogger logger, string operation, IPAddress address, string device, Errno error);

    [LoggerMessage(EventId = RegistrationDaemonEventIds.DestinationsAdopted, Level = LogLevel.Information, Message = "Adopted {Count} existing default destinations on {Device}")]
    private static partial void LogAdopted(ILogger logger, int count, string device);

    [LoggerMessage(EventId = RegistrationDaemonEventIds.DriftRepaired, Level = LogLevel.Warning, Message = "Repaired drift on {Device}: {Added} entries restored, {Deleted} foreign entries removed")]
    private static partial void LogDriftRepaired(ILogger logger, string device, int added, int deleted);

    [LoggerMessage(EventId = RegistrationDaemonEventIds.ProgrammingNotConfirmed, Level = LogLevel.Warning, Message = "{Device}: read back after programming, the kernel lacks {Missing} of the desired default destinations and holds {Extra} others; they are compared again at the next reconcile, not counted as drift")]
    private static partial void LogNotConfirmed(ILogger logger, string device, int missing, int extra);

    [LoggerMessage(EventId = RegistrationDaemonEventIds.DeviceReprogrammed, Level = LogLevel.Information, Message = "Reprogrammed {Device}: {Added} added, {Deleted} deleted, {Count} default destinations")]
    private static partial void LogChanged(ILogger logger, string device, int added, int deleted, int count);
}
