using System.Runtime.InteropServices;

// C names are kept inside Linux/Native and Linux/Netlink (docs/development.md).
#pragma warning disable CS8981

namespace Replicator.Linux.Native;

public static partial class LibC
{
    // /usr/include/x86_64-linux-gnu/bits/socket.h
    public const int SOL_PACKET = 263;

    // /usr/include/linux/if_packet.h
    /// <summary>PACKET_QDISC_BYPASS: frames go straight to the driver's transmit queue, skipping the qdisc layer.</summary>
    public const int PACKET_QDISC_BYPASS = 20;

    // /usr/include/linux/if_ether.h
    public const int ETH_ALEN = 6;
    public const int ETH_HLEN = 14;
    public const ushort ETH_P_IP = 0x0800;
    public const ushort ETH_P_IPV6 = 0x86DD;
}

/// <summary>struct sockaddr_ll (linux/if_packet.h): 20 bytes; sll_protocol in network byte order.</summary>
[StructLayout(LayoutKind.Sequential)]
public unsafe struct sockaddr_ll
{
    public ushort sll_family;
    public ushort sll_protocol;
    public int sll_ifindex;
    public ushort sll_hatype;
    public byte sll_pkttype;
    public byte sll_halen;
    public fixed byte sll_addr[8];
}
