namespace Replicator.Protocol.Control;

/// <summary>Why a sync frame could not be read.</summary>
public enum SyncFramingError
{
    None = 0,
    /// <summary>The stream ended inside a length prefix or a frame.</summary>
    Truncated,
    /// <summary>The length prefix announces more than the reader's maximum.</summary>
    FrameTooLarge,
    /// <summary>The length prefix is zero or smaller than a control header.</summary>
    FrameTooSmall,
}
