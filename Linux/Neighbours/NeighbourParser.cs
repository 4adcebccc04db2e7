using System.Diagnostics.CodeAnalysis;
using Replicator.Linux.Native;
using Replicator.Linux.Netlink;

namespace Replicator.Linux.Neighbours;

/// <summary>
/// Decodes RTM_NEWNEIGH / RTM_DELNEIGH of family AF_INET or AF_INET6 (the ARP and NDP tables) into
/// <see cref="Neighbour"/>, over the decoding it shares with the FDB (<see cref="NeighbourMessage"/>).
/// </summary>
public static class NeighbourParser
{
    /// <summary>False for other families (AF_BRIDGE: the FDB), entries without NDA_DST, or malformed messages.</summary>
    public static bool TryParse(NetlinkMessage message, [NotNullWhen(true)] out Neighbour? neighbour)
    {
        neighbour = null;
        if (!NeighbourMessage.TryParse(message, out var parsed) || !IsIpFamily(parsed.Header.ndm_family))
        {
            return false;
        }
        return TryCreate(parsed, out neighbour);
    }

    /// <summary>AF_INET or AF_INET6: the families of the ARP and NDP tables.</summary>
    public static bool IsIpFamily(byte family) => family is LibC.AF_INET or LibC.AF_INET6;

    internal static bool TryCreate(NeighbourMessage parsed, [NotNullWhen(true)] out Neighbour? neighbour)
    {
        neighbour = null;
        if (parsed.Destination is null)
        {
            return false;
        }
        neighbour = new Neighbour
        {
            IfIndex = parsed.Header.ndm_ifindex,
            Address = parsed.Destination,
            LinkLayerAddress = parsed.LinkLayerAddress,
            State = parsed.Header.ndm_state,
            Flags = parsed.Header.ndm_flags,
        };
        return true;
    }
}
