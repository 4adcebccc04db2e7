namespace Replicator.Protocol.Bgp;

/// <summary>NOTIFICATION error codes (RFC 4271 §4.5; 7 from RFC 7313).</summary>
public enum BgpErrorCode : byte
{
    MessageHeaderError = 1,
    OpenMessageError = 2,
    UpdateMessageError = 3,
    HoldTimerExpired = 4,
    FiniteStateMachineError = 5,
    Cease = 6,
    RouteRefreshMessageError = 7,
}

/// <summary>Subcodes of <see cref="BgpErrorCode.MessageHeaderError"/> (RFC 4271 §6.1).</summary>
public enum BgpHeaderErrorSubcode : byte
{
    ConnectionNotSynchronized = 1,
    BadMessageLength = 2,
    BadMessageType = 3,
}

/// <summary>Subcodes of <see cref="BgpErrorCode.OpenMessageError"/> (RFC 4271 §6.2, RFC 5492 for 7).</summary>
public enum BgpOpenErrorSubcode : byte
{
    Unspecific = 0,
    UnsupportedVersionNumber = 1,
    BadPeerAs = 2,
    BadBgpIdentifier = 3,
    UnsupportedOptionalParameter = 4,
    UnacceptableHoldTime = 6,
    UnsupportedCapability = 7,
}

/// <summary>Subcodes of <see cref="BgpErrorCode.UpdateMessageError"/> (RFC 4271 §6.3).</summary>
public enum BgpUpdateErrorSubcode : byte
{
    MalformedAttributeList = 1,
    UnrecognizedWellKnownAttribute = 2,
    MissingWellKnownAttribute = 3,
    AttributeFlagsError = 4,
    AttributeLengthError = 5,
    InvalidOriginAttribute = 6,
    InvalidNextHopAttribute = 8,
    OptionalAttributeError = 9,
    InvalidNetworkField = 10,
    MalformedAsPath = 11,
}

/// <summary>Subcodes of <see cref="BgpErrorCode.Cease"/> (RFC 4486).</summary>
public enum BgpCeaseSubcode : byte
{
    MaximumPrefixesReached = 1,
    AdministrativeShutdown = 2,
    PeerDeconfigured = 3,
    AdministrativeReset = 4,
    ConnectionRejected = 5,
    OtherConfigurationChange = 6,
    ConnectionCollisionResolution = 7,
    OutOfResources = 8,
}
