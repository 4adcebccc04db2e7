namespace Replicator.ServiceNode.Registry;

/// <summary>Why the registry refused a change. A refused change is never partly applied.</summary>
internal enum RegistryError
{
    None,

    /// <summary>VNI outside 0..16777215.</summary>
    InvalidVni,

    /// <summary>An address the address policy refuses (loopback, multicast, ..., or one of this node's own).</summary>
    InvalidAddress,

    /// <summary>Negative or too long hold time.</summary>
    InvalidHoldTime,

    /// <summary>The change would exceed <c>MaxEntries</c>.</summary>
    TooManyEntries,

    /// <summary>The change would exceed <c>MaxMembersPerVni</c> in some VNI.</summary>
    TooManyMembers,

    /// <summary>No such static entry.</summary>
    NotFound,

    /// <summary>Writing the static entries file failed.</summary>
    StorageFailed,
}
