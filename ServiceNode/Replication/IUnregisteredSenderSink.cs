namespace Replicator.ServiceNode.Replication;

/// <summary>
/// Receives senders that are not registered in the VNI they send to, when
/// <see cref="ReplicationOptions.AcceptUnregistered"/> is set; the registry learns them with its
/// hold time, as vxfld did. Called on a replication worker thread for every such datagram, so an
/// implementation must be cheap and thread-safe (e.g. deduplicate, then enqueue to the control loop)
/// and must not keep <paramref name="address"/> beyond the call.
/// </summary>
internal interface IUnregisteredSenderSink
{
    /// <param name="vni">The VNI of the datagram.</param>
    /// <param name="address">The sender's outer address: 4 bytes (IPv4) or 16 bytes (IPv6), network order.</param>
    /// <param name="ipv6">True when <paramref name="address"/> is IPv6.</param>
    void OnUnregisteredSender(uint vni, ReadOnlySpan<byte> address, bool ipv6);
}
