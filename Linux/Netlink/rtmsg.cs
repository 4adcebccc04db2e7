using System.Runtime.InteropServices;

#pragma warning disable CS8981

namespace Replicator.Linux.Netlink;

/// <summary>struct rtmsg (linux/rtnetlink.h): 12 bytes, the family header of RTM_*ROUTE.</summary>
[StructLayout(LayoutKind.Sequential)]
public struct rtmsg
{
    public byte rtm_family;
    public byte rtm_dst_len;
    public byte rtm_src_len;
    public byte rtm_tos;
    /// <summary>Routing table id (RT_TABLE_*); RTA_TABLE carries ids above 255.</summary>
    public byte rtm_table;
    /// <summary>RTPROT_*: who installed the route.</summary>
    public byte rtm_protocol;
    /// <summary>RT_SCOPE_*.</summary>
    public byte rtm_scope;
    /// <summary>RTN_*.</summary>
    public byte rtm_type;
    /// <summary>RTM_F_*.</summary>
    public uint rtm_flags;
}
