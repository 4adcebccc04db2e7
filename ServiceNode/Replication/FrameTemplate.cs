namespace Replicator.ServiceNode.Replication;

/// <summary>
/// What a packet-path copy to one destination needs besides its IP/UDP header, prepared when the
/// next hops change so that a copy costs three 8-byte stores: the first 16 bytes of the frame
/// (destination MAC, source MAC, ethertype, two bytes the IP header overwrites) and the head of its
/// sockaddr_ll (family, protocol, interface index). <see cref="Fallback"/> is set when the packet
/// path cannot serve the destination.
/// </summary>
internal readonly struct FrameTemplate
{
    public ulong Ethernet0 { get; init; }
    public ulong Ethernet1 { get; init; }
    public ulong LinkAddressHead { get; init; }

    /// <summary>Largest IP packet (header included) the egress takes.</summary>
    public int Mtu { get; init; }

    /// <summary>The egress interface's TX ring; null: copies go by sendmmsg (no ring configured, or it could not be set up).</summary>
    public PacketRing? Ring { get; init; }

    /// <summary>Null: usable.</summary>
    public PacketFallback? Fallback { get; init; }
}
