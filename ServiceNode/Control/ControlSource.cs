namespace Replicator.ServiceNode.Control;

/// <summary>Which of this node's control addresses a datagram leaves from (and arrived at).</summary>
internal enum ControlSource
{
    /// <summary>
    /// <c>ControlAddress</c>: relays and keepalives to peers, and answers to whoever wrote to it (pushes
    /// always leave from the anycast address: VTEPs are expected to register with it).
    /// </summary>
    Node,

    /// <summary>
    /// <c>AnycastAddress</c>, when a cluster has one: what VTEPs write to, so their answers and pushes must
    /// come from it (vxrd accepts peer lists only from the service node address it registers with).
    /// Falls back to <see cref="Node"/> on a node without an anycast socket.
    /// </summary>
    Anycast,
}
