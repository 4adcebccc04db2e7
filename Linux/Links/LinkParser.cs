using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Net.NetworkInformation;
using Replicator.Linux.Native;
using Replicator.Linux.Netlink;

namespace Replicator.Linux.Links;

/// <summary>
/// Decodes RTM_NEWLINK / RTM_DELLINK into <see cref="LinkInfo"/>. The tree it reads:
/// <code>
/// ifinfomsg { ifi_family = AF_UNSPEC, ifi_type = ARPHRD_*, ifi_index, ifi_flags }
/// IFLA_IFNAME      "vxlan100\0"
/// IFLA_ADDRESS     lladdr (6 bytes on Ethernet)
/// IFLA_MTU         u32
/// IFLA_OPERSTATE   u8
/// IFLA_MASTER      u32
/// IFLA_LINKINFO    (nested)
///   IFLA_INFO_KIND   "vxlan\0"
///   IFLA_INFO_DATA   (nested)
///     IFLA_VXLAN_ID     u32
///     IFLA_VXLAN_GROUP  in_addr   | IFLA_VXLAN_GROUP6 in6_addr
///     IFLA_VXLAN_LOCAL  in_addr   | IFLA_VXLAN_LOCAL6 in6_addr
///     IFLA_VXLAN_PORT   be16
///     IFLA_VXLAN_LINK   u32, IFLA_VXLAN_LEARNING u8, IFLA_VXLAN_COLLECT_METADATA u8
/// </code>
/// </summary>
public static class LinkParser
{
    private static ReadOnlySpan<byte> VxlanKindBytes => "vxlan"u8;

    /// <summary>
    /// False for anything that is not an AF_UNSPEC link message with a name (AF_BRIDGE port
    /// notifications share RTNLGRP_LINK but describe bridge-port state, not the link), or is malformed.
    /// </summary>
    public static bool TryParse(NetlinkMessage message, [NotNullWhen(true)] out LinkInfo? link)
    {
        link = null;
        if (message.Type is not (Nl.RTM_NEWLINK or Nl.RTM_DELLINK)
            || !message.TryGetFamilyHeader(out ifinfomsg header, out var attributes)
            || header.ifi_family != LibC.AF_UNSPEC)
        {
            return false;
        }
        string? name = null;
        string? kind = null;
        byte operState = 0;
        uint master = 0;
        uint mtu = 0;
        PhysicalAddress? hardwareAddress = null;
        VxlanFields vxlan = default;
        bool hasVxlanData = false;
        while (attributes.TryRead(out var attribute))
        {
            switch (attribute.Type)
            {
                case Nl.IFLA_IFNAME:
                    name = attribute.GetString();
                    break;
                case Nl.IFLA_OPERSTATE:
                    attribute.TryGetUInt8(out operState);
                    break;
                case Nl.IFLA_MASTER:
                    attribute.TryGetUInt32(out master);
                    break;
                case Nl.IFLA_MTU:
                    attribute.TryGetUInt32(out mtu);
                    break;
                case Nl.IFLA_ADDRESS when !attribute.Value.IsEmpty:
                    hardwareAddress = new PhysicalAddress(attribute.Value.ToArray());
                    break;
                case Nl.IFLA_LINKINFO:
                    var info = attribute.Nested;
                    while (info.TryRead(out var item))
                    {
                        if (item.Type == Nl.IFLA_INFO_KIND)
                        {
                            kind = item.ValueEquals(VxlanKindBytes) ? LinkInfo.VxlanKind : item.GetString();
                        }
                        else if (item.Type == Nl.IFLA_INFO_DATA)
                        {
                            hasVxlanData = TryParseVxlanData(item.Nested, out vxlan);
                        }
                    }
                    break;
            }
        }
        if (attributes.Error != NetlinkReadError.None || string.IsNullOrEmpty(name))
        {
            return false;
        }
        VxlanAttributes? vxlanAttributes = null;
        // IFLA_INFO_DATA is kind-specific: only read it as VXLAN data when the kind says so.
        if (kind == LinkInfo.VxlanKind && hasVxlanData)
        {
            vxlanAttributes = new VxlanAttributes
            {
                Vni = vxlan.Vni,
                Local = vxlan.Local,
                Remote = vxlan.Remote,
                DestinationPort = vxlan.Port,
                UnderlayIndex = (int)vxlan.Underlay,
                Learning = vxlan.Learning,
                CollectMetadata = vxlan.CollectMetadata,
            };
        }
        link = new LinkInfo
        {
            Index = header.ifi_index,
            Name = name,
            Kind = kind,
            Flags = header.ifi_flags,
            OperState = (LinkOperState)operState,
            MasterIndex = (int)master,
            LinkType = header.ifi_type,
            HardwareAddress = hardwareAddress,
            Mtu = (int)Math.Min(mtu, int.MaxValue),
            Vxlan = vxlanAttributes,
        };
        return true;
    }

    private static bool TryParseVxlanData(NetlinkAttributeReader data, out VxlanFields fields)
    {
        fields = default;
        bool hasId = false;
        while (data.TryRead(out var attribute))
        {
            switch (attribute.Type)
            {
                case Nl.IFLA_VXLAN_ID:
                    hasId = attribute.TryGetUInt32(out fields.Vni);
                    break;
                case Nl.IFLA_VXLAN_GROUP when attribute.Value.Length == 4:
                case Nl.IFLA_VXLAN_GROUP6 when attribute.Value.Length == 16:
                    fields.Remote = NonZeroAddress(attribute.Value);
                    break;
                case Nl.IFLA_VXLAN_LOCAL when attribute.Value.Length == 4:
                case Nl.IFLA_VXLAN_LOCAL6 when attribute.Value.Length == 16:
                    fields.Local = NonZeroAddress(attribute.Value);
                    break;
                case Nl.IFLA_VXLAN_PORT:
                    attribute.TryGetUInt16BigEndian(out fields.Port);
                    break;
                case Nl.IFLA_VXLAN_LINK:
                    attribute.TryGetUInt32(out fields.Underlay);
                    break;
                case Nl.IFLA_VXLAN_LEARNING:
                    fields.Learning = attribute.TryGetUInt8(out byte learning) && learning != 0;
                    break;
                case Nl.IFLA_VXLAN_COLLECT_METADATA:
                    fields.CollectMetadata = attribute.TryGetUInt8(out byte external) && external != 0;
                    break;
            }
        }
        // An external (collect_metadata) device may omit the VNI; it is still VXLAN.
        return data.Error == NetlinkReadError.None && (hasId || fields.CollectMetadata);
    }

    private static IPAddress? NonZeroAddress(ReadOnlySpan<byte> bytes) =>
        bytes.ContainsAnyExcept((byte)0) ? new IPAddress(bytes) : null;

    private struct VxlanFields
    {
        public uint Vni;
        public IPAddress? Local;
        public IPAddress? Remote;
        public ushort Port;
        public uint Underlay;
        public bool Learning;
        public bool CollectMetadata;
    }
}
