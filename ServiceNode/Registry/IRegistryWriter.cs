namespace Replicator.ServiceNode.Registry;

/// <summary>
/// The way into the registry from other threads. Everything runs on the registry's single
/// control loop; callers never touch <see cref="Registry"/> directly.
/// </summary>
internal interface IRegistryWriter
{
    /// <summary>
    /// Runs <paramref name="work"/> on the control loop and returns its result. Changes it makes are
    /// published to the <see cref="MemberTable"/> (and pushed to subscribers) right after it.
    /// </summary>
    Task<T> InvokeAsync<T>(Func<Registry, T> work, CancellationToken cancellationToken = default);

    /// <summary>Queues <paramref name="work"/> without waiting; false when the loop has stopped.</summary>
    bool Post(Action<Registry> work);

    /// <summary>
    /// Queues a registration received from the network: like <see cref="Post"/>, but false (the
    /// caller drops and counts it) when the loop already has its most registrations waiting, so a
    /// flood within the rate limits cannot grow the queue without bound.
    /// </summary>
    bool TryPostRegistration(Action<Registry> work) => Post(work);

    /// <summary>
    /// For the data plane's unregistered-sender hook (called on replication worker threads, per
    /// datagram): queues "learn <paramref name="address"/> in <paramref name="vni"/>" for the loop.
    /// Lock-free, allocation-free in steady state, never blocks; returns false (and the request is
    /// dropped) when the bounded learn queue is full.
    /// </summary>
    /// <param name="address">4 (IPv4) or 16 (IPv6) network-order bytes; not kept after the call.</param>
    /// <param name="ipv6">True when <paramref name="address"/> is IPv6.</param>
    bool TryLearn(uint vni, ReadOnlySpan<byte> address, bool ipv6);
}
