namespace Replicator.Linux.Netlink;

/// <summary>What a <see cref="NetlinkNotificationDecoder{T}"/> made of one notification.</summary>
public enum NotificationDecoding
{
    /// <summary>Not one this watcher follows (another message type or family): skipped.</summary>
    Ignored,
    /// <summary>Decoded into an item.</summary>
    Decoded,
    /// <summary>Of the followed kind but undecodable: the watcher resynchronises.</summary>
    Malformed,
}

/// <summary>Decodes one notification; <paramref name="deleted"/> tells RTM_DEL* from RTM_NEW*.</summary>
public delegate NotificationDecoding NetlinkNotificationDecoder<T>(NetlinkMessage message, out T? item, out bool deleted);
