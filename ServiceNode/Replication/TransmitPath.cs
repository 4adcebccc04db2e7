namespace Replicator.ServiceNode.Replication;

/// <summary>How <see cref="SourceMode.Preserve"/> copies leave the node (option <c>ServiceNode:DataPlane:Transmit</c>).</summary>
internal enum TransmitPath
{
    /// <summary>The packet-socket path for every destination it can serve, the raw path for the rest.</summary>
    Auto = 0,

    /// <summary>
    /// Prebuilt Ethernet frames on AF_PACKET sockets (PACKET_QDISC_BYPASS). A destination the packet
    /// path cannot serve yet (no neighbour entry, copy above the egress MTU) still goes the raw path.
    /// </summary>
    Packet = 1,

    /// <summary>Raw IP sockets (IP_HDRINCL / IPV6_HDRINCL): the kernel routes, resolves and queues every copy.</summary>
    Raw = 2,
}
