namespace Replicator.ServiceNode.Replication.NextHops;

/// <summary>Whether the packet path can send to a destination, and if not, why (the fallback reason).</summary>
internal enum NextHopState
{
    /// <summary>Route, egress interface and neighbour MAC known: frames can be prebuilt.</summary>
    Usable = 0,

    /// <summary>No route (or an unreachable/blackhole/prohibit one): the raw path reports it.</summary>
    NoRoute = 1,

    /// <summary>Route known, but no valid neighbour entry for the next hop yet: the raw path makes the kernel resolve it.</summary>
    NoNeighbour = 2,

    /// <summary>The egress interface is not Ethernet-like (loopback, tunnel, ...): packet frames cannot be built.</summary>
    UnsupportedInterface = 3,

    /// <summary>Not resolved yet (just added, or being looked up again after a change).</summary>
    Pending = 4,
}
