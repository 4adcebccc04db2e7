using System.Runtime.InteropServices;

#pragma warning disable CS8981

namespace Replicator.Linux.Netlink;

/// <summary>struct nlmsghdr (linux/netlink.h): 16 bytes, host byte order.</summary>
[StructLayout(LayoutKind.Sequential)]
public struct nlmsghdr
{
    /// <summary>Length of the message including this header (not padded).</summary>
    public uint nlmsg_len;
    public ushort nlmsg_type;
    public ushort nlmsg_flags;
    public uint nlmsg_seq;
    /// <summary>Sender port id: 0 for the kernel.</summary>
    public uint nlmsg_pid;
}
