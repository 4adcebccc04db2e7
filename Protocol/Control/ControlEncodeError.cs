namespace Replicator.Protocol.Control;

/// <summary>Why a message cannot be encoded as asked.</summary>
public enum ControlEncodeError
{
    None = 0,
    /// <summary>The maximum datagram (or frame) size cannot hold the message's fixed part plus one entry.</summary>
    MaxSizeTooSmall,
    /// <summary>The maximum size exceeds <see cref="ControlLimits.MaxDatagramBytes"/> (datagrams only).</summary>
    MaxSizeTooLarge,
    /// <summary>The message, unsplit, is larger than the maximum size.</summary>
    MessageTooLarge,
    /// <summary>A VNI above 16777215.</summary>
    VniOutOfRange,
    /// <summary>The same VNI twice.</summary>
    DuplicateVni,
    /// <summary>An address that is neither IPv4 nor IPv6, or null.</summary>
    InvalidAddress,
    /// <summary>A node identifier that is empty, longer than 255 UTF-8 bytes, or not encodable as UTF-8.</summary>
    InvalidNodeId,
    /// <summary>More VNIs or addresses in one message than <see cref="ControlLimits.MaxEntriesPerMessage"/>, or more than 65535 parts.</summary>
    TooManyEntries,
    /// <summary>An enum value outside its defined range, or a part index not below the part count.</summary>
    InvalidValue,
}
