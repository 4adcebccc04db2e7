namespace Replicator.Linux.Netlink;

/// <summary>Why a reader stopped before the end of its buffer. Malformed input is reported, never thrown.</summary>
public enum NetlinkReadError
{
    None = 0,
    /// <summary>Fewer bytes left than a header needs.</summary>
    Truncated,
    /// <summary>A length field smaller than its own header or larger than the bytes available.</summary>
    BadLength,
}
