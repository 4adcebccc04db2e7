using Replicator.Hosting.Configuration;

namespace Replicator.ServiceNode.Replication;

/// <summary>
/// Data-plane settings, section <c>ServiceNode:DataPlane</c>. All of them are read once at start:
/// sockets, threads and buffers are sized from them, so a change needs a restart.
/// </summary>
internal sealed class ReplicationOptions
{
    public const string SectionName = "ServiceNode:DataPlane";

    /// <summary>Whether this node replicates BUM datagrams at all. Default true.</summary>
    [FormerKey("Replicate")]
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Address the data-plane sockets bind to. Default: <c>ServiceNode:ControlAddress</c> (0.0.0.0 when that is unset
    /// too); with a <c>ServiceNode:Cluster:AnycastAddress</c> (a cluster), 0.0.0.0, or :: when either address is IPv6.
    /// </summary>
    [FormerKey("DataAddress")]
    public string? Address { get; set; }

    /// <summary>UDP port VTEPs send BUM datagrams to. Default 4789 (IANA VXLAN).</summary>
    [FormerKey("DataPort")]
    public int Port { get; set; } = 4789;

    /// <summary>UDP destination port of the copies. Default 4789.</summary>
    public int DestinationPort { get; set; } = 4789;

    /// <summary>Outer source of the copies: Preserve (the sender's, default) or Node (this node's).</summary>
    public SourceMode SourceMode { get; set; } = SourceMode.Preserve;

    /// <summary>Replication workers (threads, each with its own sockets). Default 0 = one per core.</summary>
    public int Workers { get; set; }

    /// <summary>Datagrams taken per recvmmsg call. Default 64.</summary>
    public int ReceiveBatch { get; set; } = 64;

    /// <summary>Copies handed to the kernel per sendmmsg call, at most 1024 (UIO_MAXIOV). Default 256.</summary>
    public int SendBatch { get; set; } = 256;

    /// <summary>SO_RCVBUF of each worker's receive socket, in bytes. Default 4 MiB; 0 keeps the kernel default.</summary>
    public int ReceiveBufferBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>IPv4 TTL / IPv6 hop limit of the copies. Default 64.</summary>
    public int Ttl { get; set; } = 64;

    /// <summary>
    /// Replicate datagrams from senders not registered in the VNI and report them to the registry
    /// (which learns them with <c>ServiceNode:Registry:HoldTime</c>, as vxfld did). Default false: they are dropped and counted.
    /// </summary>
    public bool AcceptUnregistered { get; set; }

    /// <summary>
    /// How Preserve-mode copies leave: Auto (default: Packet where it can start, Raw otherwise), Packet
    /// (prebuilt Ethernet frames on AF_PACKET sockets, raw for destinations without a usable next hop;
    /// start fails if the packet socket or next-hop tracking cannot be opened) or Raw (raw IP sockets
    /// only). Packet needs SourceMode=Preserve.
    /// </summary>
    public TransmitPath Transmit { get; set; } = TransmitPath.Auto;

    public const int DefaultPacketRingFrames = 1024;

    /// <summary>
    /// Frames of each PACKET_TX_RING of the packet path (one ring per worker and egress interface, frames sized from
    /// the interface's MTU, 2 KiB each at MTU 1500): copies are written into the ring and leave with one sendto per
    /// batch. Default 1024; 0 = no rings, every packet-path copy goes by sendmmsg.
    /// </summary>
    public int PacketRingFrames { get; set; } = DefaultPacketRingFrames;
}
