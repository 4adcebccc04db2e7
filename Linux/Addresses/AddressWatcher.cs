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
/// </summary>
public sealed class AddressWatcher : IDisposable
{
    /// <summary>How long a blocked receive waits before checking for shutdown.</summary>
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(200);


    /// <summary>Receive buffer for notifications: a burst of thousands of address changes fits.</summary>
    public const int DefaultReceiveBufferBytes = 1024 * 1024;

    private readonly NetlinkSocket _notifications;
    private readonly AddressClient _dumps;
    private readonly Action<IReadOnlyList<KernelAddress>>? _onChanged;
    private readonly Action<Exception>? _onFailed;
    private readonly Dictionary<(int IfIndex, IPAddress Address, int PrefixLength), KernelAddress> _table = [];
    private readonly Thread _thread;
    private volatile IReadOnlyList<KernelAddress> _current = [];
    private volatile bool _stopping;
    private int _disposed;
    private int _resyncs;

    private AddressWatcher(NetlinkSocket notifications, AddressClient dumps, Action<IReadOnlyList<KernelAddress>>? onChanged, Action<Exception>? onFailed)
    {
        _notifications = notifications;
        _dumps = dumps;
        _onChanged = onChanged;
        _onFailed = onFailed;
        _thread = new Thread(Run) { IsBackground = true, Name = "address watcher" };
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
        var notifications = NetlinkSocket.Open(PollInterval);
        AddressClient? dumps = null;
        try
        {
            foreach (int group in (ReadOnlySpan<int>)[Nl.RTNLGRP_IPV4_IFADDR, Nl.RTNLGRP_IPV6_IFADDR])
            {
                var errno = notifications.JoinGroup(group);
                if (errno != Errno.SUCCESS) throw new NativeException($"setsockopt(NETLINK_ADD_MEMBERSHIP, {group})", errno);
            }
            // Best effort: without privilege the default buffer still works, it just overflows sooner.
            _ = notifications.SetReceiveBufferSize(receiveBufferBytes);
            dumps = AddressClient.Open();
            var watcher = new AddressWatcher(notifications, dumps, onChanged, onFailed);
            watcher.Resync(initial: true);
            watcher._thread.Start();
            return watcher;
        }
        catch
        {
            dumps?.Dispose();
            notifications.Dispose();
            throw;
        }
    }

    /// <summary>Stops the thread (within about 200 ms) and closes the sockets.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _stopping = true;
        if (Thread.CurrentThread != _thread && _thread.IsAlive) _thread.Join();
        _notifications.Dispose();
        _dumps.Dispose();
    }

    private void Run()
    {
        try
        {
            while (!_stopping)
            {
                var errno = _notifications.Receive(out var datagram);
                switch (errno)
                {
                    case Errno.SUCCESS:
                        if (!Apply(datagram, out bool changed))
                        {
                            _notifications.Drain();
                            Resync(initial: false);
                        }
                        else if (changed)
                        {
                            Publish();
                        }
                        break;
                    case Errno.EAGAIN:
                        break;
                    case Errno.ENOBUFS:
                        // Queued notifications predate the dump below; dropping them also clears the
                        // kernel's congestion mark so that later drops raise ENOBUFS again.
                        _notifications.Drain();
                        Resync(initial: false);
                        break;
                    default:
                        throw new NativeException("recvfrom(RTNLGRP_IPV4_IFADDR, RTNLGRP_IPV6_IFADDR)", errno);
                }
            }
        }
        catch (Exception e) when (!_stopping)
        {
            _onFailed?.Invoke(e);
        }
    }

    private void Resync(bool initial)
    {
        var items = ResyncDump.Run(_dumps.DumpAddresses, () => _stopping, "RTM_GETADDR");
        _table.Clear();
        foreach (var address in items) _table[Key(address)] = address;
        if (!initial) Interlocked.Increment(ref _resyncs);
        Publish();
    }

    /// <summary>Applies one datagram of notifications; false when it was malformed.</summary>
    private bool Apply(ReadOnlySpan<byte> datagram, out bool changed)
    {
        changed = false;
        var reader = new NetlinkMessageReader(datagram);
        while (reader.TryRead(out var message))
        {
            if (message.Type is not (Nl.RTM_NEWADDR or Nl.RTM_DELADDR)) continue;
            if (!AddressParser.TryParse(message, out var address)) return false;
            var key = Key(address);
            if (message.Type == Nl.RTM_DELADDR)
            {
                changed |= _table.Remove(key);
            }
            else if (!_table.TryGetValue(key, out var previous) || previous != address)
            {
                _table[key] = address;
                changed = true;
            }
        }
        return reader.Error == NetlinkReadError.None;
    }

    private void Publish()
    {
        var snapshot = _table.Values.ToArray();
        _current = snapshot;
        _onChanged?.Invoke(snapshot);
    }

    private static (int, IPAddress, int) Key(in KernelAddress address) => (address.IfIndex, address.Address, address.PrefixLength);
}
