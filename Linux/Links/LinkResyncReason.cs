namespace Replicator.Linux.Links;

/// <summary>Why the watcher sent a <see cref="LinkEventKind.Resync"/>.</summary>
public enum LinkResyncReason
{
    /// <summary>The first event: the dump taken right after subscribing.</summary>
    Initial,
    /// <summary>The kernel dropped notifications for the socket (ENOBUFS): incremental state cannot be trusted.</summary>
    NotificationsLost,
    /// <summary>A notification could not be decoded: rather than guess, the watcher dumped again.</summary>
    MalformedNotification,
}
