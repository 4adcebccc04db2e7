namespace Replicator.Hosting.Addressing;

/// <summary>Why <see cref="AddressPolicy"/> refuses an address as a VTEP (a registry entry, a copy's destination, an FDB entry).</summary>
public enum AddressRefusal
{
    /// <summary>Usable.</summary>
    None,

    /// <summary>0.0.0.0/8 or ::.</summary>
    Unspecified,

    /// <summary>127.0.0.0/8 or ::1.</summary>
    Loopback,

    /// <summary>224.0.0.0/4 or ff00::/8.</summary>
    Multicast,

    /// <summary>255.255.255.255, or a broadcast address of one of the node's own subnets.</summary>
    Broadcast,

    /// <summary>240.0.0.0/4 (reserved) or ::/96 (deprecated IPv4-compatible IPv6).</summary>
    Reserved,

    /// <summary>169.254.0.0/16 or fe80::/10: usable only with an interface scope, which no VTEP address carries.</summary>
    LinkLocal,

    /// <summary>One of the node's own addresses: sending there replicates to ourselves (a loop).</summary>
    Own,
}
