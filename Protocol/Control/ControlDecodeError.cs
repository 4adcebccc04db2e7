namespace Replicator.Protocol.Control;

/// <summary>Why a control datagram or frame was rejected. Bounded set: usable as a metric tag.</summary>
public enum ControlDecodeError
{
    None = 0,
    /// <summary>Shorter than the header, or than header plus the announced authentication trailer.</summary>
    TooShort,
    /// <summary>The first two bytes are not 0x56 0x52.</summary>
    BadMagic,
    /// <summary>A version other than 1.</summary>
    UnsupportedVersion,
    /// <summary>A type byte other than 1, 2 or 3.</summary>
    UnknownType,
    /// <summary>The body is not valid MessagePack or not the structure of its type (detail says where).</summary>
    MalformedBody,
    /// <summary>A required body field is absent.</summary>
    MissingField,
    /// <summary>A body field has the right type but an illegal value (enum, part index, ...).</summary>
    InvalidValue,
    /// <summary>A VNI above 16777215.</summary>
    VniOutOfRange,
    /// <summary>An address whose bin is not 4 (IPv4) or 16 (IPv6) bytes.</summary>
    BadAddressLength,
    /// <summary>More VNIs or addresses than <see cref="ControlLimits.MaxEntriesPerMessage"/>.</summary>
    TooManyEntries,
    /// <summary>The same VNI twice in one message.</summary>
    DuplicateVni,
    /// <summary>A node identifier that is empty or longer than <see cref="ControlLimits.MaxNodeIdBytes"/>.</summary>
    InvalidNodeId,
    /// <summary>Bytes left between the end of the body and the trailer (or the end).</summary>
    TrailingBytes,
}
