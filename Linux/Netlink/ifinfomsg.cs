using System.Runtime.InteropServices;

#pragma warning disable CS8981

namespace Replicator.Linux.Netlink;

/// <summary>struct ifinfomsg (linux/rtnetlink.h): 16 bytes, the family header of RTM_*LINK.</summary>
[StructLayout(LayoutKind.Sequential)]
public struct ifinfomsg
{
    public byte ifi_family;
    public byte __ifi_pad;
    /// <summary>ARPHRD_* device type.</summary>
    public ushort ifi_type;
    public int ifi_index;
    /// <summary>IFF_* flags.</summary>
    public uint ifi_flags;
    public uint ifi_change;
}
