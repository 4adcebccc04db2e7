using System.Net;
using System.Net.NetworkInformation;
using Replicator.Linux.Netlink;

namespace Replicator.Linux.Neighbours;

/// <summary>
/// The fields of one RTM_NEWNEIGH / RTM_DELNEIGH of any family, decoded once for both readers of the neighbour
/// tables: <see cref="NeighbourParser"/> (ARP and NDP, AF_INET/AF_INET6) and <see cref="Fdb.FdbParser"/>
/// (a VXLAN device's forwarding database, AF_BRIDGE). The tree:
/// <code>
/// ndmsg { ndm_family, ndm_ifindex, ndm_state = NUD_*, ndm_flags = NTF_*, ndm_type }
/// NDA_DST     in_addr | in6_addr   (the neighbour's address; a VXLAN remote in AF_BRIDGE)
/// NDA_LLADDR  link-layer address (6 bytes on Ethernet; absent while unresolved)
/// NDA_PORT    be16, NDA_VNI u32    (AF_BRIDGE, only when they differ from the device's)
/// </code>
/// </summary>
public readonly record struct NeighbourMessage(
    bool Deleted,
    ndmsg Header,
    IPAddress? Destination,
    PhysicalAddress? LinkLayerAddress,
    uint? Vni,
    ushort? Port)
{
    /// <summary>False for other message types or when the header or an attribute is malformed.</summary>
    public static bool TryParse(NetlinkMessage message, out NeighbourMessage parsed)
    {
        parsed = default;
        if (message.Type is not (Nl.RTM_NEWNEIGH or Nl.RTM_DELNEIGH)
            || !message.TryGetFamilyHeader(out ndmsg header, out var attributes))
        {
            return false;
        }
        PhysicalAddress? mac = null;
        IPAddress? destination = null;
        uint? vni = null;
        ushort? port = null;
        while (attributes.TryRead(out var attribute))
        {
            switch (attribute.Type)
            {
                case Nl.NDA_LLADDR when !attribute.Value.IsEmpty:
                    mac = new PhysicalAddress(attribute.Value.ToArray());
                    break;
                case Nl.NDA_DST when attribute.Value.Length is 4 or 16:
                    destination = new IPAddress(attribute.Value);
                    break;
                case Nl.NDA_VNI when attribute.TryGetUInt32(out uint v):
                    vni = v;
                    break;
                case Nl.NDA_PORT when attribute.TryGetUInt16BigEndian(out ushort p):
                    port = p;
                    break;
            }
        }
        if (attributes.Error != NetlinkReadError.None)
        {
            return false;
        }
        parsed = new NeighbourMessage(message.Type == Nl.RTM_DELNEIGH, header, destination, mac, vni, port);
        return true;
    }
}
