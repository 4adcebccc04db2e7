using Replicator.ServiceNode.Replication.NextHops;

namespace Replicator.ServiceNode.Replication;

/// <summary>
/// Why a copy that the packet path would have sent went through the raw socket instead, or (<see cref="RingFull"/>)
/// through the packet socket's sendmmsg instead of its ring (counted per copy). The first four mirror
/// <see cref="NextHopState"/>; values index counter arrays.
/// </summary>
internal enum PacketFallback
{
    /// <summary>No route to the destination: the raw socket reports the error.</summary>
    NoRoute = 0,
    /// <summary>No valid neighbour entry for the next hop: the raw socket makes the kernel resolve it.</summary>
    NoNeighbour,
    /// <summary>The egress interface is not Ethernet-like.</summary>
    UnsupportedInterface,
    /// <summary>The next-hop tracker has not resolved the destination (yet).</summary>
    Pending,
    /// <summary>The copy is larger than the egress MTU: the raw socket fragments it (IPv4) or reports it.</summary>
    TooBig,
    /// <summary>The egress interface's PACKET_TX_RING had no free frame (frames still in flight): the copy went by sendmmsg on the packet socket.</summary>
    RingFull,
}

/// <summary>Metric tag values of <see cref="PacketFallback"/>: bounded, stable.</summary>
internal static class PacketFallbacks
{
    public const int Count = 6;

    public static PacketFallback From(NextHopState state) => state switch
    {
        NextHopState.NoRoute => PacketFallback.NoRoute,
        NextHopState.NoNeighbour => PacketFallback.NoNeighbour,
        NextHopState.UnsupportedInterface => PacketFallback.UnsupportedInterface,
        _ => PacketFallback.Pending,
    };

    public static string Tag(PacketFallback reason) => reason switch
    {
        PacketFallback.NoRoute => "no_route",
        PacketFallback.NoNeighbour => "no_neighbour",
        PacketFallback.UnsupportedInterface => "unsupported_interface",
        PacketFallback.Pending => "pending",
        PacketFallback.TooBig => "too_big",
        PacketFallback.RingFull => "ring_full",
        _ => "other",
    };
}
