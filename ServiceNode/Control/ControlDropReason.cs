using Replicator.Protocol.Control;

namespace Replicator.ServiceNode.Control;

/// <summary>Why a control datagram was not applied: the bounded <c>reason</c> tag of <c>vxsnd.control.dropped</c>.</summary>
internal enum ControlDropReason
{
    TooShort,
    BadMagic,
    UnsupportedVersion,
    UnknownType,
    MalformedBody,
    MissingField,
    InvalidValue,
    VniOutOfRange,
    BadAddressLength,
    TooManyEntries,
    DuplicateVni,
    InvalidNodeId,
    TrailingBytes,

    /// <summary>A well-formed message a service node does not accept on this port (peer list, sync).</summary>
    UnexpectedType,

    /// <summary>The registry refused the registration: invalid VNI, address or hold time.</summary>
    RejectedInvalid,

    /// <summary>The registry refused the registration: MaxEntries or MaxMembersPerVni.</summary>
    RejectedLimit,

    // Hardening (ServiceNode/Hardening): authentication, rate limits, VNIs per source.

    /// <summary>Authentication is on and the datagram carries no trailer.</summary>
    Unsigned,

    /// <summary>Signed with a key id the key file does not list.</summary>
    UnknownKey,

    /// <summary>The MAC does not match.</summary>
    BadSignature,

    /// <summary>The signature's timestamp is outside Authentication:MaxClockSkew.</summary>
    Stale,

    /// <summary>The signature's nonce was already accepted.</summary>
    Replayed,

    /// <summary>The source exceeded ControlRateLimitPerSource.</summary>
    RateLimitedSource,

    /// <summary>All sources together exceeded ControlRateLimitGlobal.</summary>
    RateLimitedGlobal,

    /// <summary>The registration would take its source over MaxVnisPerSource.</summary>
    VniLimit,

    // Issue 13: unsigned registrations are bound to their source; per-source limits name the limit hit.

    /// <summary>Unsigned, and names an address other than the datagram's own source address.</summary>
    SourceMismatch,

    /// <summary>Unsigned, marked relayed, and not from a configured cluster peer (ServiceNode:Cluster:Peers).</summary>
    RelayNotPeer,

    /// <summary>The registration would take its source over MaxEntriesPerSource.</summary>
    EntryLimit,

    /// <summary>All sources together hold MaxEntries (VNI, address) pairs: the table is full.</summary>
    TableFull,

    /// <summary>The registry loop already has its most registrations waiting: arriving faster than it applies them.</summary>
    QueueFull,
}

internal static class ControlDropReasons
{
    /// <summary>Tag values, allocated once (index = <see cref="ControlDropReason"/>).</summary>
    public static readonly string[] Tags =
    [
        "too_short", "bad_magic", "unsupported_version", "unknown_type", "malformed_body", "missing_field",
        "invalid_value", "vni_out_of_range", "bad_address_length", "too_many_entries", "duplicate_vni",
        "invalid_node_id", "trailing_bytes", "unexpected_type", "rejected_invalid", "rejected_limit",
        "unsigned", "unknown_key", "bad_signature", "stale", "replayed", "rate_limited_source", "rate_limited_global", "vni_limit",
        "source_mismatch", "relay_not_peer", "entry_limit", "table_full", "queue_full",
    ];

    public static ControlDropReason From(ControlDecodeError error) => error switch
    {
        ControlDecodeError.TooShort => ControlDropReason.TooShort,
        ControlDecodeError.BadMagic => ControlDropReason.BadMagic,
        ControlDecodeError.UnsupportedVersion => ControlDropReason.UnsupportedVersion,
        ControlDecodeError.UnknownType => ControlDropReason.UnknownType,
        ControlDecodeError.MissingField => ControlDropReason.MissingField,
        ControlDecodeError.InvalidValue => ControlDropReason.InvalidValue,
        ControlDecodeError.VniOutOfRange => ControlDropReason.VniOutOfRange,
        ControlDecodeError.BadAddressLength => ControlDropReason.BadAddressLength,
        ControlDecodeError.TooManyEntries => ControlDropReason.TooManyEntries,
        ControlDecodeError.DuplicateVni => ControlDropReason.DuplicateVni,
        ControlDecodeError.InvalidNodeId => ControlDropReason.InvalidNodeId,
        ControlDecodeError.TrailingBytes => ControlDropReason.TrailingBytes,
        _ => ControlDropReason.MalformedBody,
    };
}
