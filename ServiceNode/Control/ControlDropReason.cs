using Replicator.Protocol.Control;

namespace Replicator.ServiceNode.Control;

/// <summary>Why a control datagram was not applied: the bounded <c>reason</c> tag of <c>vxsnd.control.dropped</c>.</summary>
public enum ControlDropReason
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
}

internal static class ControlDropReasons
{
    /// <summary>Tag values, allocated once (index = <see cref="ControlDropReason"/>).</summary>
    public static readonly string[] Tags =
    [
        "too_short", "bad_magic", "unsupported_version", "unknown_type", "malformed_body", "missing_field",
        "invalid_value", "vni_out_of_range", "bad_address_length", "too_many_entries", "duplicate_vni",
        "invalid_node_id", "trailing_bytes", "unexpected_type", "rejected_invalid", "rejected_limit",
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
