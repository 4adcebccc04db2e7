using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Runtime.InteropServices;
using Replicator.Linux.Native;
using Replicator.Linux.Netlink;

namespace Replicator.Linux.Routes;

/// <summary>
/// Decodes RTM_NEWROUTE / RTM_DELROUTE of family AF_INET or AF_INET6 into <see cref="KernelRoute"/>:
/// <code>
/// rtmsg { rtm_family, rtm_dst_len, rtm_table, rtm_protocol, rtm_scope, rtm_type = RTN_*, rtm_flags }
/// RTA_DST       in_addr | in6_addr   (absent on a default route)
/// RTA_OIF       u32
/// RTA_GATEWAY   in_addr | in6_addr   | RTA_VIA struct rtvia { u16 family; address }
/// RTA_PREFSRC   in_addr | in6_addr
/// RTA_PRIORITY  u32,  RTA_TABLE u32
/// RTA_METRICS   (nested) RTAX_MTU u32
/// RTA_MULTIPATH struct rtnexthop[]   (only noted: a lookup answers with the chosen path)
/// </code>
/// </summary>
public static class RouteParser
{
    /// <summary>False for other message types and families (IPMR, MPLS) or when malformed.</summary>
    public static bool TryParse(NetlinkMessage message, [NotNullWhen(true)] out KernelRoute? route)
    {
        route = null;
        if (message.Type is not (Nl.RTM_NEWROUTE or Nl.RTM_DELROUTE)
            || !message.TryGetFamilyHeader(out rtmsg header, out var attributes)
            || header.rtm_family is not (LibC.AF_INET or LibC.AF_INET6))
        {
            return false;
        }
        int addressLength = header.rtm_family == LibC.AF_INET ? 4 : 16;
        if (header.rtm_dst_len > addressLength * 8)
        {
            return false;
        }
        IPAddress? destination = null;
        IPAddress? gateway = null;
        IPAddress? preferredSource = null;
        uint table = header.rtm_table;
        uint oif = 0;
        uint priority = 0;
        uint mtu = 0;
        bool multipath = false;
        while (attributes.TryRead(out var attribute))
        {
            switch (attribute.Type)
            {
                case Nl.RTA_DST when attribute.Value.Length == addressLength:
                    destination = new IPAddress(attribute.Value);
                    break;
                case Nl.RTA_GATEWAY when attribute.Value.Length == addressLength:
                    gateway = new IPAddress(attribute.Value);
                    break;
                case Nl.RTA_VIA:
                    gateway = ParseVia(attribute.Value);
                    break;
                case Nl.RTA_PREFSRC when attribute.Value.Length == addressLength:
                    preferredSource = new IPAddress(attribute.Value);
                    break;
                case Nl.RTA_OIF:
                    attribute.TryGetUInt32(out oif);
                    break;
                case Nl.RTA_TABLE:
                    attribute.TryGetUInt32(out table);
                    break;
                case Nl.RTA_PRIORITY:
                    attribute.TryGetUInt32(out priority);
                    break;
                case Nl.RTA_METRICS:
                    if (!attribute.Nested.TryFind(Nl.RTAX_MTU, out var mtuAttribute) || !mtuAttribute.TryGetUInt32(out mtu))
                    {
                        mtu = 0;
                    }
                    break;
                case Nl.RTA_MULTIPATH:
                    multipath = true;
                    break;
            }
        }
        if (attributes.Error != NetlinkReadError.None)
        {
            return false;
        }
        route = new KernelRoute
        {
            Destination = destination ?? (addressLength == 4 ? IPAddress.Any : IPAddress.IPv6Any),
            PrefixLength = header.rtm_dst_len,
            Type = (RouteType)header.rtm_type,
            Table = table,
            Protocol = header.rtm_protocol,
            Scope = header.rtm_scope,
            Flags = header.rtm_flags,
            OutputInterface = (int)Math.Min(oif, int.MaxValue),
            Gateway = gateway,
            PreferredSource = preferredSource,
            Mtu = (int)Math.Min(mtu, int.MaxValue),
            Priority = priority,
            IsMultipath = multipath,
        };
        return true;
    }

    /// <summary>struct rtvia: a u16 family in host order, then the address; null when it does not add up.</summary>
    private static IPAddress? ParseVia(ReadOnlySpan<byte> value)
    {
        if (value.Length < 2)
        {
            return null;
        }
        ushort family = MemoryMarshal.Read<ushort>(value);
        var address = value[2..];
        return (family, address.Length) switch
        {
            (LibC.AF_INET, >= 4) => new IPAddress(address[..4]),
            (LibC.AF_INET6, >= 16) => new IPAddress(address[..16]),
            _ => null,
        };
    }
}
