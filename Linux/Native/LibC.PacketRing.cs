using System.Runtime.InteropServices;

// C names are kept inside Linux/Native and Linux/Netlink (docs/development.md).
#pragma warning disable CS8981

namespace Replicator.Linux.Native;

public static unsafe partial class LibC
{
    // /usr/include/linux/if_packet.h: a PACKET_TX_RING (TPACKET_V2) on an AF_PACKET socket.
    public const int PACKET_VERSION = 10;
    public const int PACKET_TX_RING = 13;
    /// <summary>PACKET_LOSS: the kernel skips a malformed ring frame (marks it available) instead of stopping the ring at it.</summary>
    public const int PACKET_LOSS = 14;
    public const int TPACKET_V2 = 1;
    public const int TPACKET_ALIGNMENT = 16;
    public const uint TP_STATUS_AVAILABLE = 0;
    public const uint TP_STATUS_SEND_REQUEST = 1;
    public const uint TP_STATUS_SENDING = 2;
    public const uint TP_STATUS_WRONG_FORMAT = 4;

    /// <summary>TPACKET2_HDRLEN: TPACKET_ALIGN(sizeof(tpacket2_hdr)) + sizeof(sockaddr_ll).</summary>
    public const int TPACKET2_HDRLEN = 32 + 20;

    // /usr/include/x86_64-linux-gnu/bits/mman-linux.h
    public const int PROT_READ = 0x1;
    public const int PROT_WRITE = 0x2;
    public const int MAP_SHARED = 0x01;

    /// <summary>mmap(2). Returns the mapping or MAP_FAILED ((void*)-1).</summary>
    [LibraryImport(Name, SetLastError = true)]
    public static partial void* mmap(void* addr, nuint length, int prot, int flags, int fd, nint offset);

    /// <summary>munmap(2). Returns 0 or -1.</summary>
    [LibraryImport(Name, SetLastError = true)]
    public static partial int munmap(void* addr, nuint length);

    /// <summary>MAP_FAILED of mmap(2).</summary>
    public static void* MapFailed => (void*)-1;
}

/// <summary>struct tpacket_req (linux/if_packet.h): the geometry of a PACKET_TX_RING / PACKET_RX_RING.</summary>
[StructLayout(LayoutKind.Sequential)]
public struct tpacket_req
{
    public uint tp_block_size;
    public uint tp_block_nr;
    public uint tp_frame_size;
    public uint tp_frame_nr;
}

/// <summary>struct tpacket2_hdr (linux/if_packet.h): the head of every TPACKET_V2 ring frame, 32 bytes.</summary>
[StructLayout(LayoutKind.Sequential)]
public unsafe struct tpacket2_hdr
{
    public uint tp_status;
    public uint tp_len;
    public uint tp_snaplen;
    public ushort tp_mac;
    public ushort tp_net;
    public uint tp_sec;
    public uint tp_nsec;
    public ushort tp_vlan_tci;
    public ushort tp_vlan_tpid;
    public fixed byte tp_padding[4];
}
