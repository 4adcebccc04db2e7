namespace Replicator.Linux.Netlink;

/// <summary>
/// One change seen by a <see cref="NetlinkWatcher{T}"/>: <see cref="WatchEventKind.New"/> and
/// <see cref="WatchEventKind.Deleted"/> carry one <see cref="Item"/>; <see cref="WatchEventKind.Resync"/> carries
/// the dump taken after subscribing in <see cref="Items"/> (empty when the watcher was started without listing).
/// </summary>
public sealed record WatchEvent<T>(WatchEventKind Kind, T? Item, IReadOnlyList<T> Items, WatchResyncReason? ResyncReason)
    where T : class
{
    public static WatchEvent<T> Resync(WatchResyncReason reason, IReadOnlyList<T> items) => new(WatchEventKind.Resync, null, items, reason);

    public static WatchEvent<T> New(T item) => new(WatchEventKind.New, item, [], null);

    public static WatchEvent<T> Deleted(T item) => new(WatchEventKind.Deleted, item, [], null);

    public override string ToString() => Kind == WatchEventKind.Resync ? $"Resync ({ResyncReason}, {Items.Count} items)" : $"{Kind} {Item}";
}
