namespace Replicator.Protocol.Bgp;

/// <summary>The extended communities (RFC 4360) an EVPN VXLAN route carries, as 8-octet big-endian numbers.</summary>
public static class BgpExtendedCommunities
{
    /// <summary>Opaque (type 0x03), encapsulation (subtype 0x0c, RFC 9012), tunnel type 8 = VXLAN: <c>030c000000000008</c>.</summary>
    public const ulong VxlanEncapsulation = 0x030c_0000_0000_0008UL;

    /// <summary>Route target, 2-octet AS specific (type 0x00, subtype 0x02): AS:number, what FRR derives as AS:VNI.</summary>
    public static ulong RouteTarget(ushort autonomousSystem, uint number) => 0x0002UL << 48 | (ulong)autonomousSystem << 32 | number;

    /// <summary>Route target, 4-octet AS specific (type 0x02, subtype 0x02, RFC 5668): AS:number with a 16-bit number.</summary>
    public static ulong RouteTarget4(uint autonomousSystem, ushort number) => 0x0202UL << 48 | (ulong)autonomousSystem << 16 | number;

    /// <summary>Whether the community is a route target of any of the three kinds (subtype 0x02; types 0x00, 0x01, 0x02).</summary>
    public static bool IsRouteTarget(ulong community)
    {
        ulong typeAndSubtype = community >> 48;
        return typeAndSubtype is 0x0002 or 0x0102 or 0x0202;
    }
}
