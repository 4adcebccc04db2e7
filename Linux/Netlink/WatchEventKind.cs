namespace Replicator.Linux.Netlink;

/// <summary>What a <see cref="WatchEvent{T}"/> of a <see cref="NetlinkWatcher{T}"/> reports.</summary>
public enum WatchEventKind
{
    /// <summary>Start over: the incremental view cannot be trusted (first event, lost or undecodable notifications).</summary>
    Resync,
    /// <summary>An object was added or changed (RTM_NEW*: the kernel sends the whole object either way).</summary>
    New,
    /// <summary>An object was deleted (RTM_DEL*), with its last state.</summary>
    Deleted,
}
