using System.Runtime.InteropServices;

#pragma warning disable CS8981

namespace Replicator.Linux.Netlink;

/// <summary>struct rtattr (linux/rtnetlink.h), same layout as struct nlattr: 4 bytes, then the value, padded to 4.</summary>
[StructLayout(LayoutKind.Sequential)]
public struct rtattr
{
    /// <summary>Length of header plus value (not padded).</summary>
    public ushort rta_len;
    public ushort rta_type;
}
