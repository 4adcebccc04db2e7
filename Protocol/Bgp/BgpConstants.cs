namespace Replicator.Protocol.Bgp;

/// <summary>Fixed numbers of the BGP wire format that more than one message uses.</summary>
public static class BgpConstants
{
    /// <summary>Marker (16), length (2), type (1).</summary>
    public const int HeaderLength = 19;
    /// <summary>RFC 4271's maximum; we do not announce the extended message capability (RFC 8654).</summary>
    public const int MaxMessageLength = 4096;
    public const byte Version = 4;
    public const ushort Port = 179;
    /// <summary>The 2-octet AS placed in OPEN when the 4-octet AS does not fit (RFC 6793).</summary>
    public const ushort AsTrans = 23456;
    /// <summary>L2VPN (RFC 4761).</summary>
    public const ushort AfiL2Vpn = 25;
    /// <summary>EVPN (RFC 7432).</summary>
    public const byte SafiEvpn = 70;
    public const ushort AfiIpv4 = 1;
    public const byte SafiUnicast = 1;
    /// <summary>Smallest total length per type: OPEN 29, UPDATE 23, NOTIFICATION 21, KEEPALIVE 19, ROUTE-REFRESH 23.</summary>
    public const int MinOpenLength = 29, MinUpdateLength = 23, MinNotificationLength = 21, RouteRefreshLength = 23;
}
