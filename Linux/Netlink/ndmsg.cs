using System.Runtime.InteropServices;

#pragma warning disable CS8981

namespace Replicator.Linux.Netlink;

/// <summary>struct ndmsg (linux/neighbour.h): 12 bytes, the family header of RTM_*NEIGH.</summary>
[StructLayout(LayoutKind.Sequential)]
public struct ndmsg
{
    public byte ndm_family;
    public byte ndm_pad1;
    public ushort ndm_pad2;
    public int ndm_ifindex;
    /// <summary>NUD_* state.</summary>
    public ushort ndm_state;
    /// <summary>NTF_* flags.</summary>
    public byte ndm_flags;
    public byte ndm_type;
}
