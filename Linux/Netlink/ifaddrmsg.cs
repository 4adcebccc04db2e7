using System.Runtime.InteropServices;

#pragma warning disable CS8981

namespace Replicator.Linux.Netlink;

/// <summary>struct ifaddrmsg (linux/if_addr.h): 8 bytes, the family header of RTM_*ADDR.</summary>
[StructLayout(LayoutKind.Sequential)]
public struct ifaddrmsg
{
    public byte ifa_family;
    public byte ifa_prefixlen;
    /// <summary>IFA_F_* flags (the low 8 bits; IFA_FLAGS carries all 32).</summary>
    public byte ifa_flags;
    public byte ifa_scope;
    public int ifa_index;
}
