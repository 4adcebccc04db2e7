using System.Runtime.InteropServices;

// C names are kept inside Linux/Native and Linux/Netlink (docs/development.md).
#pragma warning disable CS8981

namespace Replicator.Linux.Native;

// Layouts for LP64 glibc; sizes are asserted in Linux.Tests (NativeLayoutTests) and checked against a C compiler.

/// <summary>struct iovec (sys/uio.h): 16 bytes.</summary>
[StructLayout(LayoutKind.Sequential)]
public unsafe struct iovec
{
    public void* iov_base;
    public nuint iov_len;
}

/// <summary>struct msghdr (sys/socket.h): 56 bytes.</summary>
[StructLayout(LayoutKind.Sequential)]
public unsafe struct msghdr
{
    public void* msg_name;
    public uint msg_namelen;
    public iovec* msg_iov;
    public nuint msg_iovlen;
    public void* msg_control;
    public nuint msg_controllen;
    public int msg_flags;
}

/// <summary>struct mmsghdr (sys/socket.h): 64 bytes.</summary>
[StructLayout(LayoutKind.Sequential)]
public struct mmsghdr
{
    public msghdr msg_hdr;
    public uint msg_len;
}

/// <summary>struct sockaddr_in (netinet/in.h): 16 bytes; port and address in network byte order.</summary>
[StructLayout(LayoutKind.Sequential)]
public struct sockaddr_in
{
    public ushort sin_family;
    public ushort sin_port;
    public uint sin_addr;
    public ulong sin_zero;
}

/// <summary>struct sockaddr_in6 (netinet/in.h): 28 bytes; port in network byte order.</summary>
[StructLayout(LayoutKind.Sequential)]
public unsafe struct sockaddr_in6
{
    public ushort sin6_family;
    public ushort sin6_port;
    public uint sin6_flowinfo;
    public fixed byte sin6_addr[16];
    public uint sin6_scope_id;
}

/// <summary>struct sockaddr_nl (linux/netlink.h): 12 bytes.</summary>
[StructLayout(LayoutKind.Sequential)]
public struct sockaddr_nl
{
    public ushort nl_family;
    public ushort nl_pad;
    public uint nl_pid;
    public uint nl_groups;
}

/// <summary>struct timespec (time.h): 16 bytes.</summary>
[StructLayout(LayoutKind.Sequential)]
public struct timespec
{
    public nint tv_sec;
    public nint tv_nsec;
}

/// <summary>struct cmsghdr (sys/socket.h): 16 bytes, then the data; each control message is aligned to 8 bytes (CMSG_ALIGN).</summary>
[StructLayout(LayoutKind.Sequential)]
public struct cmsghdr
{
    public nuint cmsg_len;
    public int cmsg_level;
    public int cmsg_type;
}
