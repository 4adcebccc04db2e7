using Replicator.ServiceNode.Replication.NextHops;

namespace Replicator.ServiceNode.Replication;

/// <summary>
/// Why a copy that the packet path would have sent went through the raw socket instead (counted per
/// copy). The first four mirror <see cref="NextHopState"/>; values index counter arrays.
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
}

/// <summary>Metric tag values of <see cref="PacketFallback"/>: bounded, stable.</summary>
internal static class PacketFallbacks
{
    public const int Count = 5;

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
        _ => "other",
    };
}
