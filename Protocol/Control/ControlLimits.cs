namespace Replicator.Protocol.Control;

/// <summary>Sizes and bounds of the control protocol (PROTOCOL.md, "Limits").</summary>
public static class ControlLimits
{
    /// <summary>
    /// 1500-byte MTU minus the IPv6 (40) and UDP (8) headers; with IPv4 (20) it leaves 20 bytes
    /// spare. A datagram this size is never fragmented on a 1500-byte path of either family.
    /// </summary>
    public const int DefaultMaxDatagramBytes = 1452;

    /// <summary>Largest UDP payload over IPv4; no datagram may be configured larger.</summary>
    public const int MaxDatagramBytes = 65507;

    /// <summary>Default maximum size of one sync frame (the message, without its 4-byte length prefix).</summary>
    public const int DefaultMaxSyncFrameBytes = 1 << 20;

    /// <summary>Largest node identifier, in UTF-8 bytes (a DNS name is at most 253).</summary>
    public const int MaxNodeIdBytes = 255;

    /// <summary>Most VNIs, and separately most addresses, one message may carry.</summary>
    public const int MaxEntriesPerMessage = 65535;

    /// <summary>Size of a return-routability cookie (Register and PeerList key 5), in bytes.</summary>
    public const int CookieBytes = 16;

    /// <summary>Highest VNI (24 bits).</summary>
    public const uint MaxVni = 0xFF_FFFF;
}
