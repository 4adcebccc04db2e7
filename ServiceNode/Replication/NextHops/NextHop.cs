using System.Net;

namespace Replicator.ServiceNode.Replication.NextHops;

/// <summary>
/// One destination's way out as the kernel's route and neighbour tables give it: the egress
/// interface, the MACs of the Ethernet header, and the MTU a copy must fit.
/// </summary>
/// <param name="Destination">The VTEP address (IPv4 or IPv6, never IPv4-mapped).</param>
/// <param name="State">Usable, or why the packet path cannot serve it.</param>
/// <param name="InterfaceIndex">Egress interface (0 when unknown).</param>
/// <param name="SourceMac">The egress interface's MAC, 6 bytes in the low 48 bits, network order from the most significant.</param>
/// <param name="DestinationMac">The next hop's MAC (the gateway's, or the destination's on a connected route), same packing.</param>
/// <param name="Mtu">The route's MTU (RTAX_MTU) or else the interface's.</param>
/// <param name="Gateway">The route's gateway; null on a connected route.</param>
internal readonly record struct NextHop(
    IPAddress Destination,
    NextHopState State,
    int InterfaceIndex,
    ulong SourceMac,
    ulong DestinationMac,
    int Mtu,
    IPAddress? Gateway)
{
    public bool IsUsable => State == NextHopState.Usable;
}
