using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Net.NetworkInformation;
using Replicator.Linux.Native;
using Replicator.Linux.Netlink;

namespace Replicator.Linux.Fdb;

/// <summary>
/// Decodes RTM_NEWNEIGH in family AF_BRIDGE into <see cref="FdbEntry"/>:
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
            || !message.TryGetFamilyHeader(out ndmsg header, out var attributes)
            || header.ndm_family != LibC.AF_BRIDGE)
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
                case Nl.NDA_LLADDR when attribute.Value.Length == 6:
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
        if (attributes.Error != NetlinkReadError.None || mac is null || destination is null)
        {
            return false;
        }
        entry = new FdbEntry
        {
            IfIndex = header.ndm_ifindex,
            LinkLayerAddress = mac,
            Destination = destination,
            State = header.ndm_state,
            Flags = header.ndm_flags,
            Vni = vni,
            Port = port,
        };
        return true;
    }
}
