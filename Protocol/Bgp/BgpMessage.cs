namespace Replicator.Protocol.Bgp;

/// <summary>A decoded BGP message (the header is implied by the subtype).</summary>
public abstract record BgpMessage
{
    public abstract BgpMessageType Type { get; }
}

/// <summary>KEEPALIVE: the header alone.</summary>
public sealed record BgpKeepaliveMessage : BgpMessage
{
    public static readonly BgpKeepaliveMessage Instance = new();
    public override BgpMessageType Type => BgpMessageType.Keepalive;
}

/// <summary>NOTIFICATION (RFC 4271 §4.5): the error that closes the connection.</summary>
public sealed record BgpNotificationMessage(BgpErrorCode Code, byte Subcode, byte[] Data) : BgpMessage
{
    public override BgpMessageType Type => BgpMessageType.Notification;

    public override string ToString() => Data.Length == 0
        ? $"{Code}/{SubcodeName}"
        : $"{Code}/{SubcodeName} data {Convert.ToHexStringLower(Data)}";

    /// <summary>The subcode's RFC name where the code defines them, else its number.</summary>
    public string SubcodeName => Code switch
    {
        BgpErrorCode.MessageHeaderError => ((BgpHeaderErrorSubcode)Subcode).ToString(),
        BgpErrorCode.OpenMessageError => ((BgpOpenErrorSubcode)Subcode).ToString(),
        BgpErrorCode.UpdateMessageError => ((BgpUpdateErrorSubcode)Subcode).ToString(),
        BgpErrorCode.Cease => ((BgpCeaseSubcode)Subcode).ToString(),
        _ => Subcode.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}

/// <summary>
/// ROUTE-REFRESH (RFC 2918): the peer asks for our routes of one family again. <see cref="Subtype"/>
/// is RFC 7313's (0 a request, 1 and 2 the start and end of a re-advertisement under enhanced route
/// refresh, which FRR sends where it was negotiated).
/// </summary>
public sealed record BgpRouteRefreshMessage(ushort Afi, byte Safi, byte Subtype = 0) : BgpMessage
{
    public override BgpMessageType Type => BgpMessageType.RouteRefresh;
}
