using System.Threading.Channels;
using Replicator.Linux.Native;

namespace Replicator.Linux.Netlink;

/// <summary>
/// Follows one kind of rtnetlink object (routes, neighbours) the way <see cref="Links.LinkWatcher"/> follows
/// links: it joins the multicast groups first and dumps after, so no change can fall between the two; the first
/// event is a <see cref="WatchEventKind.Resync"/> with that dump, then New/Deleted as notifications arrive. When
/// the kernel drops notifications (ENOBUFS) or one cannot be decoded, it drains the socket, dumps again and sends
/// another Resync. Started without a dump (<c>dump</c> null) its Resync events carry no items: for a consumer that
/// only needs to know that it must look again (a routing table can hold a million routes it has no use for).
/// A receive or dump failure ends the stream with that exception (<see cref="NativeException"/>,
/// <see cref="DumpInterruptedException"/>). Runs on its own thread; read <see cref="Events"/> from one consumer.
/// The sockets are opened by <see cref="Start"/>, in the network namespace of the calling thread.
/// </summary>
public sealed class NetlinkWatcher<T> : IDisposable where T : class
{
    /// <summary>How long a blocked receive waits before checking for shutdown.</summary>
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(200);

    private readonly string _name;
    private readonly NetlinkSocket _notifications;
    private readonly Func<DumpResult<T>>? _dump;
    private readonly IDisposable? _dumpOwner;
    private readonly NetlinkNotificationDecoder<T> _decode;
    private readonly Action? _onEvents;
    private readonly Channel<WatchEvent<T>> _events = Channel.CreateUnbounded<WatchEvent<T>>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
    private readonly Thread _thread;
    private volatile bool _stopping;
    private int _disposed;
    private int _notificationLosses;

    private NetlinkWatcher(string name, NetlinkSocket notifications, Func<DumpResult<T>>? dump, IDisposable? dumpOwner,
        NetlinkNotificationDecoder<T> decode, Action? onEvents)
    {
        _name = name;
        _notifications = notifications;
        _dump = dump;
        _dumpOwner = dumpOwner;
        _decode = decode;
        _onEvents = onEvents;
        _thread = new Thread(Run) { IsBackground = true, Name = name };
    }

    /// <summary>The event stream; it completes (with the failure, if any) when the watcher stops.</summary>
    public ChannelReader<WatchEvent<T>> Events => _events.Reader;

    /// <summary>Number of Resync events sent because notifications were lost (ENOBUFS).</summary>
    public int NotificationLosses => Volatile.Read(ref _notificationLosses);

    /// <summary>
    /// Joins <paramref name="groups"/> and starts the thread. <paramref name="dump"/> lists the objects for a
    /// Resync (null: Resync without items); <paramref name="dumpOwner"/> (its client) is disposed with the watcher,
    /// also when this throws. <paramref name="onEvents"/> is called on the watcher's thread after each batch of events
    /// was written (to wake a consumer that waits on more than one watcher); it must not block.
    /// Throws <see cref="NativeException"/> when the socket cannot be opened or a group joined.
    /// </summary>
    public static NetlinkWatcher<T> Start(string name, IReadOnlyList<int> groups, Func<DumpResult<T>>? dump, IDisposable? dumpOwner,
        NetlinkNotificationDecoder<T> decode, int receiveBufferBytes, Action? onEvents = null)
    {
        ArgumentNullException.ThrowIfNull(groups);
        ArgumentNullException.ThrowIfNull(decode);
        NetlinkSocket? notifications = null;
        try
        {
            notifications = NetlinkSocket.Open(PollInterval);
            foreach (int group in groups)
            {
                var errno = notifications.JoinGroup(group);
                if (errno != Errno.SUCCESS)
                {
                    throw new NativeException($"setsockopt(NETLINK_ADD_MEMBERSHIP, {group})", errno);
                }
            }
            // Best effort: without privilege the default buffer still works, it just overflows sooner.
            _ = notifications.SetReceiveBufferSize(receiveBufferBytes);
            var watcher = new NetlinkWatcher<T>(name, notifications, dump, dumpOwner, decode, onEvents);
            watcher._thread.Start();
            return watcher;
        }
        catch
        {
            notifications?.Dispose();
            dumpOwner?.Dispose();
            throw;
        }
    }

    /// <summary>Stops the thread (within about 200 ms), closes the sockets and completes the stream.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        _stopping = true;
        if (Thread.CurrentThread != _thread && _thread.IsAlive)
        {
            _thread.Join();
        }
        _notifications.Dispose();
        _dumpOwner?.Dispose();
        _events.Writer.TryComplete();
    }

    private void Run()
    {
        try
        {
            Resync(WatchResyncReason.Initial);
            while (!_stopping)
            {
                var errno = _notifications.Receive(out var datagram);
                switch (errno)
                {
                    case Errno.SUCCESS:
                        if (!Apply(datagram))
                        {
                            _notifications.Drain();
                            Resync(WatchResyncReason.MalformedNotification);
                        }
                        _onEvents?.Invoke();
                        break;
                    case Errno.EAGAIN:
                        break;
                    case Errno.ENOBUFS:
                        Interlocked.Increment(ref _notificationLosses);
                        // Queued notifications predate the dump below; dropping them also clears the
                        // kernel's congestion mark so that later drops raise ENOBUFS again.
                        _notifications.Drain();
                        Resync(WatchResyncReason.NotificationsLost);
                        break;
                    default:
                        throw new NativeException($"recvfrom({_name})", errno);
                }
            }
            _events.Writer.TryComplete();
        }
        catch (Exception e)
        {
            _events.Writer.TryComplete(_stopping ? null : e);
        }
        _onEvents?.Invoke();
    }

    private void Resync(WatchResyncReason reason)
    {
        IReadOnlyList<T> items = _dump is null ? [] : ResyncDump.Run(_dump, () => _stopping, _name);
        _events.Writer.TryWrite(WatchEvent<T>.Resync(reason, items));
        _onEvents?.Invoke();
    }

    /// <summary>Writes the events of one datagram; false when something in it was malformed.</summary>
    private bool Apply(ReadOnlySpan<byte> datagram)
    {
        var reader = new NetlinkMessageReader(datagram);
        while (reader.TryRead(out var message))
        {
            switch (_decode(message, out var item, out bool deleted))
            {
                case NotificationDecoding.Malformed:
                    return false;
                case NotificationDecoding.Decoded when item is not null:
                    _events.Writer.TryWrite(deleted ? WatchEvent<T>.Deleted(item) : WatchEvent<T>.New(item));
                    break;
            }
        }
        return reader.Error == NetlinkReadError.None;
    }
}
