namespace Replicator.ServiceNode.Replication;

/// <summary>Which kind of socket a copy left on. Values index counter arrays.</summary>
internal enum CopyPath
{
    /// <summary>A raw IP socket (SourceMode=Preserve): the kernel routes, resolves the neighbour and queues.</summary>
    Raw = 0,
    /// <summary>An AF_PACKET socket with a prebuilt Ethernet frame (SourceMode=Preserve, Transmit Auto or Packet).</summary>
    Packet,
    /// <summary>A UDP socket on the node's address (SourceMode=Node).</summary>
    Udp,
    /// <summary>A PACKET_TX_RING frame on an AF_PACKET socket bound to the egress interface (Transmit Auto or Packet, PacketRingFrames above 0).</summary>
    PacketRing,
}

/// <summary>Metric tag values of <see cref="CopyPath"/>: bounded, stable.</summary>
internal static class CopyPaths
{
    public const int Count = 4;

    public static string Tag(CopyPath path) => path switch
    {
        CopyPath.Raw => "raw",
        CopyPath.Packet => "packet",
        CopyPath.Udp => "udp",
        CopyPath.PacketRing => "packet_ring",
        _ => "other",
    };
}
