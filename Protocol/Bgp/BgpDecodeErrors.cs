namespace Replicator.Protocol.Bgp;

/// <summary>What each <see cref="BgpDecodeError"/> means for the session.</summary>
public static class BgpDecodeErrors
{
    /// <summary>
    /// True when RFC 7606 says to keep the session and take the UPDATE's routes as withdrawn
    /// (errors in ORIGIN, AS_PATH, NEXT_HOP, LOCAL_PREF, MED, EXTENDED_COMMUNITIES, PMSI_TUNNEL,
    /// missing mandatory attributes); false for errors that reset the session.
    /// </summary>
    public static bool IsTreatAsWithdraw(this BgpDecodeError error) => error is
        BgpDecodeError.AttributeFlags or BgpDecodeError.AttributeLength or BgpDecodeError.InvalidOrigin
        or BgpDecodeError.MalformedAsPath or BgpDecodeError.InvalidNextHop or BgpDecodeError.MissingWellKnownAttribute
        or BgpDecodeError.MalformedExtendedCommunities or BgpDecodeError.MalformedPmsiTunnel;

    /// <summary>The NOTIFICATION code and subcode that report <paramref name="error"/> (RFC 4271 §6).</summary>
    public static (BgpErrorCode Code, byte Subcode) ToNotification(this BgpDecodeError error) => error switch
    {
        BgpDecodeError.ConnectionNotSynchronized => Header(BgpHeaderErrorSubcode.ConnectionNotSynchronized),
        BgpDecodeError.BadMessageLength => Header(BgpHeaderErrorSubcode.BadMessageLength),
        BgpDecodeError.BadMessageType => Header(BgpHeaderErrorSubcode.BadMessageType),
        BgpDecodeError.UnsupportedVersion => Open(BgpOpenErrorSubcode.UnsupportedVersionNumber),
        BgpDecodeError.BadPeerAs => Open(BgpOpenErrorSubcode.BadPeerAs),
        BgpDecodeError.BadBgpIdentifier => Open(BgpOpenErrorSubcode.BadBgpIdentifier),
        BgpDecodeError.UnsupportedOptionalParameter => Open(BgpOpenErrorSubcode.UnsupportedOptionalParameter),
        BgpDecodeError.UnacceptableHoldTime => Open(BgpOpenErrorSubcode.UnacceptableHoldTime),
        BgpDecodeError.MalformedOpen => Open(BgpOpenErrorSubcode.Unspecific),
        BgpDecodeError.MalformedAttributeList or BgpDecodeError.DuplicateMpAttribute => Update(BgpUpdateErrorSubcode.MalformedAttributeList),
        BgpDecodeError.UnrecognizedWellKnownAttribute => Update(BgpUpdateErrorSubcode.UnrecognizedWellKnownAttribute),
        BgpDecodeError.MalformedMpReach or BgpDecodeError.MalformedMpUnreach or BgpDecodeError.MalformedExtendedCommunities
            or BgpDecodeError.MalformedPmsiTunnel => Update(BgpUpdateErrorSubcode.OptionalAttributeError),
        BgpDecodeError.InvalidNetworkField => Update(BgpUpdateErrorSubcode.InvalidNetworkField),
        BgpDecodeError.AttributeFlags => Update(BgpUpdateErrorSubcode.AttributeFlagsError),
        BgpDecodeError.AttributeLength => Update(BgpUpdateErrorSubcode.AttributeLengthError),
        BgpDecodeError.InvalidOrigin => Update(BgpUpdateErrorSubcode.InvalidOriginAttribute),
        BgpDecodeError.MalformedAsPath => Update(BgpUpdateErrorSubcode.MalformedAsPath),
        BgpDecodeError.InvalidNextHop => Update(BgpUpdateErrorSubcode.InvalidNextHopAttribute),
        BgpDecodeError.MissingWellKnownAttribute => Update(BgpUpdateErrorSubcode.MissingWellKnownAttribute),
        BgpDecodeError.InvalidRouteRefreshLength => (BgpErrorCode.RouteRefreshMessageError, 1),
        _ => (BgpErrorCode.Cease, 0),
    };

    private static (BgpErrorCode, byte) Header(BgpHeaderErrorSubcode s) => (BgpErrorCode.MessageHeaderError, (byte)s);
    private static (BgpErrorCode, byte) Open(BgpOpenErrorSubcode s) => (BgpErrorCode.OpenMessageError, (byte)s);
    private static (BgpErrorCode, byte) Update(BgpUpdateErrorSubcode s) => (BgpErrorCode.UpdateMessageError, (byte)s);
}
