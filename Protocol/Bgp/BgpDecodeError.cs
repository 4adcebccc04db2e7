namespace Replicator.Protocol.Bgp;

/// <summary>
/// Why a BGP message was rejected, or (for the treat-as-withdraw kinds) why an UPDATE's routes
/// are to be taken as withdrawn (RFC 7606). Bounded set: usable as a metric tag.
/// <see cref="BgpDecodeErrors.ToNotification"/> gives the NOTIFICATION code and subcode to send.
/// </summary>
public enum BgpDecodeError
{
    None = 0,

    // Header (RFC 4271 §6.1): the session is reset.
    /// <summary>The 16-octet marker is not all ones.</summary>
    ConnectionNotSynchronized,
    /// <summary>Length below 19, above 4096, or wrong for the type.</summary>
    BadMessageLength,
    /// <summary>A type octet other than 1 to 5.</summary>
    BadMessageType,

    // OPEN (RFC 4271 §6.2): the session is reset.
    UnsupportedVersion,
    BadPeerAs,
    BadBgpIdentifier,
    UnsupportedOptionalParameter,
    UnacceptableHoldTime,
    /// <summary>Optional parameters or capabilities overrun their lengths, or a known capability has the wrong length.</summary>
    MalformedOpen,

    // UPDATE errors that reset the session (RFC 7606 §3, §5.3, §7.3).
    /// <summary>The withdrawn-routes or attribute lengths overrun the message, or an attribute overruns the list.</summary>
    MalformedAttributeList,
    /// <summary>An attribute flagged well-known whose type we do not know.</summary>
    UnrecognizedWellKnownAttribute,
    /// <summary>MP_REACH_NLRI or MP_UNREACH_NLRI twice in one UPDATE.</summary>
    DuplicateMpAttribute,
    /// <summary>MP_REACH_NLRI with bad flags, next hop or NLRI.</summary>
    MalformedMpReach,
    /// <summary>MP_UNREACH_NLRI with bad flags or NLRI.</summary>
    MalformedMpUnreach,
    /// <summary>IPv4 withdrawn routes or NLRI with a prefix length above 32 or overrunning the field.</summary>
    InvalidNetworkField,

    // UPDATE errors handled as treat-as-withdraw (RFC 7606 §7): the message decodes, its routes count as withdrawn.
    /// <summary>A known attribute's optional/transitive flags are wrong.</summary>
    AttributeFlags,
    /// <summary>A known fixed-size attribute has another length.</summary>
    AttributeLength,
    InvalidOrigin,
    MalformedAsPath,
    InvalidNextHop,
    /// <summary>Reachable routes without ORIGIN or AS_PATH.</summary>
    MissingWellKnownAttribute,
    /// <summary>EXTENDED_COMMUNITIES whose length is not a multiple of 8.</summary>
    MalformedExtendedCommunities,
    /// <summary>PMSI_TUNNEL shorter than 5 octets or an ingress-replication tunnel id that is not an address.</summary>
    MalformedPmsiTunnel,

    // ROUTE-REFRESH (RFC 7313 §5).
    InvalidRouteRefreshLength,
}
