namespace Replicator.Protocol.Tests.Fixtures.Legacy;

/// <summary>Why a MessagePack read or write failed.</summary>
internal enum LegacyMessagePackError
{
    None = 0,
    /// <summary>The buffer ends before the value (or its header) is complete.</summary>
    EndOfData,
    /// <summary>A declared length or element count does not fit in the bytes that remain.</summary>
    LengthExceedsBuffer,
    /// <summary>The value has a different type than the one asked for.</summary>
    UnexpectedType,
    /// <summary>An integer does not fit in the requested range.</summary>
    IntegerOutOfRange,
    /// <summary>A str payload is not valid UTF-8.</summary>
    InvalidUtf8,
    /// <summary>The never-used format byte 0xc1.</summary>
    ReservedFormat,
    /// <summary>The destination span of a writer is too small.</summary>
    BufferTooSmall,
    /// <summary>Arrays/maps nested deeper than the reader's limit.</summary>
    DepthExceeded,
}
