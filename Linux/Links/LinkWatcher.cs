using System.Threading.Channels;
using Replicator.Linux.Native;
using Replicator.Linux.Netlink;

namespace Replicator.Linux.Links;

/// <summary>
/// Follows the kernel's links: subscribes to RTNLGRP_LINK first and dumps after, so no change can fall
/// between the two; the first event is a <see cref="LinkEventKind.Resync"/> with that dump, then
/// Added/Changed/Removed as notifications arrive. Notifications queued before the dump are replayed
/// on top of it; each carries a link's full state, so the view converges to the kernel's. When the
/// kernel drops notifications (ENOBUFS) or one cannot be decoded, the watcher dumps again and sends
/// another Resync. A receive or dump failure ends the stream with that exception
/// (<see cref="NativeException"/>, <see cref="DumpInterruptedException"/>).
/// Runs on its own thread; read <see cref="Events"/> from one consumer.
/// </summary>
public sealed class LinkWatcher : IDisposable
{
    /// <summary>How long a blocked receive waits before checking for shutdown.</summary>
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(200);

    /// <summary>Receive buffer for notifications: large enough for bursts (a thousand devices created at once).</summary>
    public const int DefaultReceiveBufferBytes = 4 * 1024 * 1024;

    private readonly NetlinkSocket _notifications;
    private readonly LinkClient _dumps;
    private readonly Channel<LinkEvent> _events = Channel.CreateUnbounded<LinkEvent>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
    private readonly Dictionary<int, LinkInfo> _links = [];
    private readonly Thread _thread;
    private volatile bool _stopping;
    private int _disposed;
    private int _notificationLosses;
    private readonly Action? _onEvents;

    private LinkWatcher(NetlinkSocket notifications, LinkClient dumps, Action? onEvents)
    {
        _notifications = notifications;
        _dumps = dumps;
        _onEvents = onEvents;
        _thread = new Thread(Run) { IsBackground = true, Name = "link watcher" };
    }

    /// <summary>The event stream; it completes (with the failure, if any) when the watcher stops.</summary>
    public ChannelReader<LinkEvent> Events => _events.Reader;

    /// <summary>Number of Resync events sent because notifications were lost (ENOBUFS).</summary>
    public int NotificationLosses => Volatile.Read(ref _notificationLosses);

    /// <summary>
    /// Subscribes and starts the watcher thread. Throws <see cref="NativeException"/> when the sockets
    /// cannot be opened or the group joined (no CAP_NET_ADMIN is needed for this, but a netlink-less
    /// sandbox fails here, at start-up). <paramref name="onEvents"/> is called on the watcher's thread after each
    /// batch of events was written (to wake a consumer that waits on several watchers); it must not block.
    /// </summary>
    public static LinkWatcher Start(int receiveBufferBytes = DefaultReceiveBufferBytes, Action? onEvents = null)
    {
        var notifications = NetlinkSocket.Open(PollInterval);
        try
        {
            var errno = notifications.JoinGroup(Nl.RTNLGRP_LINK);
            if (errno != Errno.SUCCESS)
            {
                throw new NativeException("setsockopt(NETLINK_ADD_MEMBERSHIP, RTNLGRP_LINK)", errno);
            }
            // Best effort: without privilege the default buffer still works, it just overflows sooner.
            _ = notifications.SetReceiveBufferSize(receiveBufferBytes);
            var watcher = new LinkWatcher(notifications, LinkClient.Open(), onEvents);
            watcher._thread.Start();
            return watcher;
        }
        catch
        {
            notifications.Dispose();
            throw;
        }
    }

    /// <summary>The events as an async stream.</summary>
    public IAsyncEnumerable<LinkEvent> ReadAllAsync(CancellationToken cancellationToken = default) =>
        _events.Reader.ReadAllAsync(cancellationToken);

    /// <summary>Stops the thread (within about 200 ms), closes the sockets and completes the stream.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        _stopping = true;
        if (Thread.CurrentThread != _thread)
        {
            _thread.Join();
        }
        _notifications.Dispose();
        _dumps.Dispose();
        _events.Writer.TryComplete();
    }

    private void Run()
    {
        try
        {
            Resync(LinkResyncReason.Initial);
            while (!_stopping)
            {
                var errno = _notifications.Receive(out var datagram);
                switch (errno)
                {
                    case Errno.SUCCESS:
                        if (!Apply(datagram))
                        {
                            _notifications.Drain();
                            Resync(LinkResyncReason.MalformedNotification);
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
                        Resync(LinkResyncReason.NotificationsLost);
                        break;
                    default:
                        throw new NativeException("recvfrom(RTNLGRP_LINK)", errno);
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


    private void Resync(LinkResyncReason reason)
    {
        var items = ResyncDump.Run(_dumps.DumpLinks, () => _stopping, "RTM_GETLINK");
        _links.Clear();
        foreach (var link in items)
        {
            _links[link.Index] = link;
        }
        _events.Writer.TryWrite(LinkEvent.Resync(reason, items));
        _onEvents?.Invoke();
    }

    /// <summary>Applies one datagram of notifications; false when it was malformed.</summary>
    private bool Apply(ReadOnlySpan<byte> datagram)
    {
        var reader = new NetlinkMessageReader(datagram);
        while (reader.TryRead(out var message))
        {
            if (message.Type is not (Nl.RTM_NEWLINK or Nl.RTM_DELLINK))
            {
                continue;
            }
            if (!message.TryGetFamilyHeader(out ifinfomsg header, out _))
            {
                return false;
            }
            if (header.ifi_family != LibC.AF_UNSPEC)
            {
                // AF_BRIDGE port notifications: bridge-port state, not a link change.
                continue;
            }
            if (!LinkParser.TryParse(message, out var link))
            {
                return false;
            }
            if (message.Type == Nl.RTM_DELLINK)
            {
                if (_links.Remove(link.Index, out var last))
                {
                    _events.Writer.TryWrite(LinkEvent.Removed(link, last));
                }
            }
            else if (_links.TryGetValue(link.Index, out var previous))
            {
                if (previous != link)
                {
                    _links[link.Index] = link;
                    _events.Writer.TryWrite(LinkEvent.Changed(link, previous));
                }
            }
            else
            {
                _links[link.Index] = link;
                _events.Writer.TryWrite(LinkEvent.Added(link));
            }
        }
        return reader.Error == NetlinkReadError.None;
    }
}
