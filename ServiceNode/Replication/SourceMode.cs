namespace Replicator.ServiceNode.Replication;

/// <summary>Which outer source address the replicated copies carry.</summary>
internal enum SourceMode
{
    /// <summary>
    /// The original sender's address and UDP source port (raw sockets, as vxfld did), so receiving
    /// kernels learn inner MACs behind the originating VTEP rather than behind the service node.
    /// </summary>
    Preserve = 0,

    /// <summary>The service node's own address, over a plain UDP socket, for underlays that drop spoofed sources.</summary>
    Node = 1,
}
