namespace Replicator.ServiceNode.Registry;

/// <summary>
/// One (VNI, address) entry. A struct stored inline in the VNI's dictionary: a million of them
/// must not be a million objects. The dynamic part (registered/relayed/learned, with an expiry) and
/// the static flag are independent, so deleting a static entry of a VTEP that also registers
/// leaves its registration in place.
/// </summary>
internal struct RegistryEntry
{
    /// <summary>Expiry of the dynamic part on the registry clock; 0 = no dynamic part.</summary>
    public long ExpiresAt;

    /// <summary>Source of the dynamic part.</summary>
    public EntrySource Source;

    public bool IsStatic;

    public readonly bool HasDynamic => ExpiresAt != 0;

    /// <summary>The source operators see: static wins; -1 when the entry is empty (to be removed).</summary>
    public readonly int Class => IsStatic ? (int)EntrySource.Static : HasDynamic ? (int)Source : -1;
}
