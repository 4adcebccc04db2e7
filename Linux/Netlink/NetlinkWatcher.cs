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
/// <see cref="DumpInterruptedException"/>). Runs on its own thread (the loop is <see cref="NetlinkSubscription"/>);
/// read <see cref="Events"/> from one consumer. The sockets are opened by <see cref="Start"/>, in the network
/// namespace of the calling thread.
/// </summary>
public sealed class NetlinkWatcher<T> : IDisposable, INetlinkNotificationHandler where T : class
{
    private readonly string _name;
    private readonly NetlinkSubscription _subscription;
    private readonly Func<DumpResult<T>>? _dump;
    private readonly IDisposable? _dumpOwner;
    private readonly NetlinkNotificationDecoder<T> _decode;
    private readonly Channel<WatchEvent<T>> _events = Channel.CreateUnbounded<WatchEvent<T>>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
    private int _disposed;

    private NetlinkWatcher(string name, NetlinkSubscription subscription, Func<DumpResult<T>>? dump, IDisposable? dumpOwner,
        NetlinkNotificationDecoder<T> decode)
    {
        _name = name;
        _subscription = subscription;
        _dump = dump;
        _dumpOwner = dumpOwner;
        _decode = decode;
    }

    /// <summary>The event stream; it completes (with the failure, if any) when the watcher stops.</summary>
    public ChannelReader<WatchEvent<T>> Events => _events.Reader;

    /// <summary>Number of Resync events sent because notifications were lost (ENOBUFS).</summary>
    public int NotificationLosses => _subscription.NotificationLosses;

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
        try
        {
            ArgumentNullException.ThrowIfNull(groups);
            ArgumentNullException.ThrowIfNull(decode);
            var watcher = new NetlinkWatcher<T>(name, NetlinkSubscription.Open(name, groups, receiveBufferBytes), dump, dumpOwner, decode);
            watcher._subscription.Start(watcher, onEvents);
            return watcher;
        }
        catch
        {
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
        _subscription.Dispose();
        _dumpOwner?.Dispose();
        _events.Writer.TryComplete();
    }

    void INetlinkNotificationHandler.Resync(WatchResyncReason reason, Func<bool> stopping)
    {
        IReadOnlyList<T> items = _dump is null ? [] : ResyncDump.Run(_dump, stopping, _name);
        _events.Writer.TryWrite(WatchEvent<T>.Resync(reason, items));
    }

    bool INetlinkNotificationHandler.Apply(NetlinkMessage message)
    {
        switch (_decode(message, out var item, out bool deleted))
        {
            case NotificationDecoding.Malformed:
                return false;
            case NotificationDecoding.Decoded when item is not null:
                _events.Writer.TryWrite(deleted ? WatchEvent<T>.Deleted(item) : WatchEvent<T>.New(item));
                break;
        }
        return true;
    }

    void INetlinkNotificationHandler.Complete(Exception? error) => _events.Writer.TryComplete(error);
}
