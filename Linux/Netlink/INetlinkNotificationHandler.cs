namespace Replicator.Linux.Netlink;

/// <summary>
/// What a watcher makes of its <see cref="NetlinkSubscription"/>: the subscription owns the socket, the thread and
/// the loop (subscribe, dump, resync after ENOBUFS); the handler owns the dump, the decoding and the event stream.
/// Every method is called on the subscription's thread (the first Resync may run on the thread that starts it, before
/// the subscription's thread exists).
/// </summary>
internal interface INetlinkNotificationHandler
{
    /// <summary>
    /// Dumps (retrying interrupted dumps while <paramref name="stopping"/> says no) and writes a Resync event.
    /// Throws <see cref="DumpInterruptedException"/> or <see cref="Native.NativeException"/>; that ends the stream.
    /// </summary>
    void Resync(WatchResyncReason reason, Func<bool> stopping);

    /// <summary>Writes the events of one notification; false when it was malformed (the subscription resyncs).</summary>
    bool Apply(NetlinkMessage message);

    /// <summary>Completes the event stream, with <paramref name="error"/> when the watch failed.</summary>
    void Complete(Exception? error);
}
