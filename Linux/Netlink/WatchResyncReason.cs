namespace Replicator.Linux.Netlink;

/// <summary>Why a <see cref="NetlinkWatcher{T}"/> sent a <see cref="WatchEventKind.Resync"/>.</summary>
public enum WatchResyncReason
{
    /// <summary>The first event, right after subscribing.</summary>
    Initial,
    /// <summary>The kernel dropped notifications for the socket (ENOBUFS).</summary>
    NotificationsLost,
    /// <summary>A notification could not be decoded: rather than guess, start over.</summary>
    MalformedNotification,
}
