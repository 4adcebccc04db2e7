using System.Net;
using System.Net.NetworkInformation;
using Replicator.Linux.Netlink;

namespace Replicator.Linux.Neighbours;

/// <summary>
/// One entry of the ARP (IPv4) or neighbour-discovery (IPv6) table (RTM_NEWNEIGH, AF_INET/AF_INET6):
/// <c>ip neigh show</c> prints it as "192.0.2.1 dev eth0 lladdr 02:00:00:00:00:01 REACHABLE".
/// </summary>
public sealed record Neighbour
{
    /// <summary>ndmsg.ndm_ifindex.</summary>
    public required int IfIndex { get; init; }

    /// <summary>NDA_DST: the neighbour's IP address.</summary>
    public required IPAddress Address { get; init; }

    /// <summary>NDA_LLADDR: its MAC; null while unresolved (INCOMPLETE, FAILED).</summary>
    public PhysicalAddress? LinkLayerAddress { get; init; }

    /// <summary>ndmsg.ndm_state (NUD_*).</summary>
    public ushort State { get; init; }

    /// <summary>ndmsg.ndm_flags (NTF_*: NTF_ROUTER, NTF_EXT_LEARNED, ...).</summary>
    public byte Flags { get; init; }

    /// <summary>
    /// The kernel's NUD_VALID (include/net/neighbour.h): REACHABLE, STALE, DELAY, PROBE, PERMANENT or NOARP, the
    /// states in which it sends to the link-layer address it holds (STALE and DELAY while it re-confirms it).
    /// </summary>
    public bool IsValid => (State & (Nl.NUD_REACHABLE | Nl.NUD_STALE | Nl.NUD_DELAY | Nl.NUD_PROBE | Nl.NUD_PERMANENT | Nl.NUD_NOARP)) != 0;

    /// <summary><see cref="IsValid"/> with a link-layer address: frames can be addressed to it.</summary>
    public bool IsUsable => IsValid && LinkLayerAddress is not null;

    public override string ToString() => $"{Address} dev {IfIndex} lladdr {LinkLayerAddress?.ToString() ?? "-"} state 0x{State:x2}";
}
