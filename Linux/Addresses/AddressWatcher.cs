using System.Net;
using Replicator.Linux.Native;
using Replicator.Linux.Netlink;

namespace Replicator.Linux.Addresses;

/// <summary>
/// Follows the kernel's address table: joins RTNLGRP_IPV4_IFADDR and RTNLGRP_IPV6_IFADDR first and
/// dumps after, on a second socket, so no change can fall between the two; notifications queued
/// meanwhile are replayed on top of the dump (each names one whole address, so replaying converges).
/// When the kernel drops notifications (ENOBUFS), one cannot be decoded, or a dump was inconsistent
/// (NLM_F_DUMP_INTR, retried with back-off), the watcher drains and dumps again. <see cref="Current"/>
/// is an immutable snapshot replaced whole; <c>onChanged</c> receives each new one on the watcher's
/// thread. A receive or dump failure stops the watcher and is reported to <c>onFailed</c>.
/// The loop is <see cref="NetlinkSubscription"/>, shared with <see cref="Links.LinkWatcher"/> and
/// <see cref="NetlinkWatcher{T}"/>; this class keeps the table and publishes it.
/// </summary>
public sealed class AddressWatcher : IDisposable, INetlinkNotificationHandler
{
    /// <summary>Receive buffer for notifications: a burst of thousands of address changes fits.</summary>
    public const int DefaultReceiveBufferBytes = 1024 * 1024;

    private readonly NetlinkSubscription _subscription;
    private readonly AddressClient _dumps;
    private readonly Action<IReadOnlyList<KernelAddress>>? _onChanged;
    private readonly Action<Exception>? _onFailed;
    private readonly Dictionary<(int IfIndex, IPAddress Address, int PrefixLength), KernelAddress> _table = [];
    private volatile IReadOnlyList<KernelAddress> _current = [];
    // Set by Apply when a notification changed the table; the table is published once per datagram, not per notification.
    private bool _changed;
    private int _disposed;
    private int _resyncs;

    private AddressWatcher(NetlinkSubscription subscription, AddressClient dumps, Action<IReadOnlyList<KernelAddress>>? onChanged, Action<Exception>? onFailed)
    {
        _subscription = subscription;
        _dumps = dumps;
        _onChanged = onChanged;
        _onFailed = onFailed;
    }

    /// <summary>The kernel's address table as last seen (never null; replaced whole).</summary>
    public IReadOnlyList<KernelAddress> Current => _current;

    /// <summary>Full dumps made after the first one (lost or malformed notifications).</summary>
    public int Resyncs => Volatile.Read(ref _resyncs);

    /// <summary>
    /// Subscribes, dumps the table once (so <see cref="Current"/> is complete when this returns) and
    /// starts the watcher thread. The sockets belong to the calling thread's network namespace.
    /// Throws <see cref="NativeException"/> or <see cref="DumpInterruptedException"/> when that fails.
    /// </summary>
    public static AddressWatcher Start(Action<IReadOnlyList<KernelAddress>>? onChanged = null, Action<Exception>? onFailed = null,
        int receiveBufferBytes = DefaultReceiveBufferBytes)
    {
        var subscription = NetlinkSubscription.Open("address watcher", [Nl.RTNLGRP_IPV4_IFADDR, Nl.RTNLGRP_IPV6_IFADDR], receiveBufferBytes);
        AddressClient? dumps = null;
        try
        {
            dumps = AddressClient.Open();
            var watcher = new AddressWatcher(subscription, dumps, onChanged, onFailed);
            subscription.Start(watcher, watcher.PublishIfChanged, initialResyncHere: true);
            return watcher;
        }
        catch
        {
            subscription.Dispose();
            dumps?.Dispose();
            throw;
        }
    }

    /// <summary>Stops the thread (within about 200 ms) and closes the sockets.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _subscription.Dispose();
        _dumps.Dispose();
    }

    void INetlinkNotificationHandler.Resync(WatchResyncReason reason, Func<bool> stopping)
    {
        var items = ResyncDump.Run(_dumps.DumpAddresses, stopping, "RTM_GETADDR");
        _table.Clear();
        foreach (var address in items) _table[Key(address)] = address;
        if (reason != WatchResyncReason.Initial) Interlocked.Increment(ref _resyncs);
        Publish();
    }

    bool INetlinkNotificationHandler.Apply(NetlinkMessage message)
    {
        if (message.Type is not (Nl.RTM_NEWADDR or Nl.RTM_DELADDR)) return true;
        if (!AddressParser.TryParse(message, out var address)) return false;
        var key = Key(address);
        if (message.Type == Nl.RTM_DELADDR)
        {
            _changed |= _table.Remove(key);
        }
        else if (!_table.TryGetValue(key, out var previous) || previous != address)
        {
            _table[key] = address;
            _changed = true;
        }
        return true;
    }

    void INetlinkNotificationHandler.Complete(Exception? error)
    {
        if (error is not null) _onFailed?.Invoke(error);
    }

    /// <summary>After each datagram (and each resync): publishes the table when a notification changed it.</summary>
    private void PublishIfChanged()
    {
        if (_changed) Publish();
    }

    private void Publish()
    {
        _changed = false;
        var snapshot = _table.Values.ToArray();
        _current = snapshot;
        _onChanged?.Invoke(snapshot);
    }

    private static (int, IPAddress, int) Key(in KernelAddress address) => (address.IfIndex, address.Address, address.PrefixLength);
}
