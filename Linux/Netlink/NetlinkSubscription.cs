using Replicator.Linux.Native;

namespace Replicator.Linux.Netlink;

/// <summary>
/// The loop every rtnetlink watcher shares: a socket that joined its multicast groups before the first dump (so no
/// change can fall between the two), a thread that hands each notification to an
/// <see cref="INetlinkNotificationHandler"/>, and a resync (drain, dump again) when the kernel dropped
/// notifications (ENOBUFS) or one could not be decoded. A receive or dump failure completes the handler's stream
/// with that exception. <see cref="NetlinkWatcher{T}"/>, <see cref="Links.LinkWatcher"/> and
/// <see cref="Addresses.AddressWatcher"/> are built on it.
/// </summary>
internal sealed class NetlinkSubscription : IDisposable
{
    /// <summary>How long a blocked receive waits before checking for shutdown.</summary>
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(200);

    private readonly string _name;
    private readonly NetlinkSocket _notifications;
    private readonly Func<bool> _isStopping;
    private INetlinkNotificationHandler? _handler;
    private Action? _onEvents;
    private Thread? _thread;
    private volatile bool _stopping;
    private int _disposed;
    private int _notificationLosses;

    private NetlinkSubscription(string name, NetlinkSocket notifications)
    {
        _name = name;
        _notifications = notifications;
        _isStopping = () => _stopping;
    }

    /// <summary>Number of resyncs because notifications were lost (ENOBUFS).</summary>
    public int NotificationLosses => Volatile.Read(ref _notificationLosses);

    /// <summary>
    /// Opens the socket in the network namespace of the calling thread and joins <paramref name="groups"/>; nothing
    /// is received before <see cref="Start"/>. Throws <see cref="NativeException"/> when the socket cannot be opened
    /// or a group joined.
    /// </summary>
    public static NetlinkSubscription Open(string name, IReadOnlyList<int> groups, int receiveBufferBytes)
    {
        ArgumentNullException.ThrowIfNull(groups);
        var notifications = NetlinkSocket.Open(PollInterval);
        try
        {
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
            return new NetlinkSubscription(name, notifications);
        }
        catch
        {
            notifications.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Starts the thread: a first Resync, then notifications. <paramref name="onEvents"/> is called on that thread
    /// after each batch of events was written (to wake a consumer that waits on more than one watcher); it must not block.
    /// With <paramref name="initialResyncHere"/> the first Resync runs on the calling thread before the thread starts,
    /// so the handler's view is complete when this returns and a failed first dump throws from here.
    /// </summary>
    public void Start(INetlinkNotificationHandler handler, Action? onEvents, bool initialResyncHere = false)
    {
        ArgumentNullException.ThrowIfNull(handler);
        _handler = handler;
        _onEvents = onEvents;
        if (initialResyncHere)
        {
            Resync(handler, WatchResyncReason.Initial);
        }
        _thread = new Thread(() => Run(initialResyncDone: initialResyncHere)) { IsBackground = true, Name = _name };
        _thread.Start();
    }

    /// <summary>Stops the thread (within about 200 ms) and closes the socket; the handler completes its own stream.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        _stopping = true;
        if (_thread is { IsAlive: true } && Thread.CurrentThread != _thread)
        {
            _thread.Join();
        }
        _notifications.Dispose();
    }

    private void Run(bool initialResyncDone)
    {
        var handler = _handler!;
        try
        {
            if (!initialResyncDone)
            {
                Resync(handler, WatchResyncReason.Initial);
            }
            while (!_stopping)
            {
                var errno = _notifications.Receive(out var datagram);
                switch (errno)
                {
                    case Errno.SUCCESS:
                        if (!Apply(handler, datagram))
                        {
                            _notifications.Drain();
                            Resync(handler, WatchResyncReason.MalformedNotification);
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
                        Resync(handler, WatchResyncReason.NotificationsLost);
                        break;
                    default:
                        throw new NativeException($"recvfrom({_name})", errno);
                }
            }
            handler.Complete(null);
        }
        catch (Exception e)
        {
            handler.Complete(_stopping ? null : e);
        }
        _onEvents?.Invoke();
    }

    private void Resync(INetlinkNotificationHandler handler, WatchResyncReason reason)
    {
        handler.Resync(reason, _isStopping);
        _onEvents?.Invoke();
    }

    /// <summary>Hands each notification of one datagram to the handler; false when something in it was malformed.</summary>
    private static bool Apply(INetlinkNotificationHandler handler, ReadOnlySpan<byte> datagram)
    {
        var reader = new NetlinkMessageReader(datagram);
        while (reader.TryRead(out var message))
        {
            if (!handler.Apply(message))
            {
                return false;
            }
        }
        return reader.Error == NetlinkReadError.None;
    }
}
