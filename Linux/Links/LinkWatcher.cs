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
/// Runs on its own thread (the loop is <see cref="NetlinkSubscription"/>, shared with <see cref="NetlinkWatcher{T}"/>;
/// this class adds the view that tells Added from Changed); read <see cref="Events"/> from one consumer.
/// </summary>
public sealed class LinkWatcher : IDisposable, INetlinkNotificationHandler
{
    /// <summary>Receive buffer for notifications: large enough for bursts (a thousand devices created at once).</summary>
    public const int DefaultReceiveBufferBytes = 4 * 1024 * 1024;

    private readonly NetlinkSubscription _subscription;
    private readonly LinkClient _dumps;
    private readonly Channel<LinkEvent> _events = Channel.CreateUnbounded<LinkEvent>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
    private readonly Dictionary<int, LinkInfo> _links = [];
    private int _disposed;

    private LinkWatcher(NetlinkSubscription subscription, LinkClient dumps)
    {
        _subscription = subscription;
        _dumps = dumps;
    }

    /// <summary>The event stream; it completes (with the failure, if any) when the watcher stops.</summary>
    public ChannelReader<LinkEvent> Events => _events.Reader;

    /// <summary>Number of Resync events sent because notifications were lost (ENOBUFS).</summary>
    public int NotificationLosses => _subscription.NotificationLosses;

    /// <summary>
    /// Subscribes and starts the watcher thread. Throws <see cref="NativeException"/> when the sockets
    /// cannot be opened or the group joined (no CAP_NET_ADMIN is needed for this, but a netlink-less
    /// sandbox fails here, at start-up). <paramref name="onEvents"/> is called on the watcher's thread after each
    /// batch of events was written (to wake a consumer that waits on several watchers); it must not block.
    /// </summary>
    public static LinkWatcher Start(int receiveBufferBytes = DefaultReceiveBufferBytes, Action? onEvents = null)
    {
        var subscription = NetlinkSubscription.Open("link watcher", [Nl.RTNLGRP_LINK], receiveBufferBytes);
        try
        {
            var watcher = new LinkWatcher(subscription, LinkClient.Open());
            subscription.Start(watcher, onEvents);
            return watcher;
        }
        catch
        {
            subscription.Dispose();
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
        _subscription.Dispose();
        _dumps.Dispose();
        _events.Writer.TryComplete();
    }

    void INetlinkNotificationHandler.Resync(WatchResyncReason reason, Func<bool> stopping)
    {
        var items = ResyncDump.Run(_dumps.DumpLinks, stopping, "RTM_GETLINK");
        _links.Clear();
        foreach (var link in items)
        {
            _links[link.Index] = link;
        }
        _events.Writer.TryWrite(LinkEvent.Resync(ToLinkResyncReason(reason), items));
    }

    /// <summary>Turns one notification into Added, Changed or Removed against the links known so far.</summary>
    bool INetlinkNotificationHandler.Apply(NetlinkMessage message)
    {
        if (message.Type is not (Nl.RTM_NEWLINK or Nl.RTM_DELLINK))
        {
            return true;
        }
        if (!message.TryGetFamilyHeader(out ifinfomsg header, out _))
        {
            return false;
        }
        if (header.ifi_family != LibC.AF_UNSPEC)
        {
            // AF_BRIDGE port notifications: bridge-port state, not a link change.
            return true;
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
        return true;
    }

    void INetlinkNotificationHandler.Complete(Exception? error) => _events.Writer.TryComplete(error);

    private static LinkResyncReason ToLinkResyncReason(WatchResyncReason reason) => reason switch
    {
        WatchResyncReason.Initial => LinkResyncReason.Initial,
        WatchResyncReason.NotificationsLost => LinkResyncReason.NotificationsLost,
        WatchResyncReason.MalformedNotification => LinkResyncReason.MalformedNotification,
        _ => throw new ArgumentOutOfRangeException(nameof(reason), reason, null),
    };
}
