using System.Diagnostics.CodeAnalysis;
using Replicator.Linux.Native;
using Replicator.Linux.Neighbours;
using Replicator.Linux.Netlink;

namespace Replicator.Linux.Fdb;

/// <summary>
/// Decodes RTM_NEWNEIGH in family AF_BRIDGE into <see cref="FdbEntry"/>, over the decoding it shares with the
/// ARP/NDP tables (<see cref="NeighbourMessage"/>):
/// <code>
/// ndmsg { ndm_family = AF_BRIDGE, ndm_ifindex, ndm_state = NUD_*, ndm_flags = NTF_SELF }
/// NDA_LLADDR  6 bytes
/// NDA_DST     in_addr | in6_addr   (VXLAN remotes only)
/// NDA_PORT    be16, NDA_VNI u32    (only when they differ from the device's)
/// </code>
/// </summary>
public static class FdbParser
{
    /// <summary>False for other families, entries without NDA_DST (bridge entries), or malformed messages.</summary>
    public static bool TryParse(NetlinkMessage message, [NotNullWhen(true)] out FdbEntry? entry)
    {
        entry = null;
        if (message.Type != Nl.RTM_NEWNEIGH
            || !NeighbourMessage.TryParse(message, out var parsed)
            || parsed.Header.ndm_family != LibC.AF_BRIDGE
            || parsed.LinkLayerAddress is not { } mac
            || mac.GetAddressBytes().Length != 6
            || parsed.Destination is not { } destination)
        {
            return false;
        }
        entry = new FdbEntry
        {
            IfIndex = parsed.Header.ndm_ifindex,
            LinkLayerAddress = mac,
            Destination = destination,
            State = parsed.Header.ndm_state,
            Flags = parsed.Header.ndm_flags,
            Vni = parsed.Vni,
            Port = parsed.Port,
        };
        return true;
    }
}
