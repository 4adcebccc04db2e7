namespace Replicator.ServiceNode.Registry;

/// <summary>
/// One (VNI, address) entry. A struct stored inline in the VNI's dictionary: a million of them
/// must not be a million objects. The dynamic part (registered/relayed/learned, with an expiry) and
/// the static flag are independent, so deleting a static entry of a VTEP that also registers
/// leaves its registration in place. The EVPN flag is a third independent part: an address that a
/// VTEP registers and an EVPN route also names is one entry, removed only when no part holds it.
/// </summary>
internal struct RegistryEntry
{
    /// <summary>Expiry of the dynamic part on the registry clock; 0 = no dynamic part.</summary>
    public long ExpiresAt;

    /// <summary>Source of the dynamic part.</summary>
    public EntrySource Source;

    public bool IsStatic;

    /// <summary>Held by at least one imported EVPN route (the bridge counts the routes; the registry keeps only this flag).</summary>
    public bool IsEvpn;

    public readonly bool HasDynamic => ExpiresAt != 0;

    /// <summary>
    /// The source operators see: static, then registered or relayed, then EVPN, then learned (the weakest
    /// evidence); -1 when the entry is empty (to be removed).
    /// </summary>
    public readonly int Class =>
        IsStatic ? (int)EntrySource.Static
        : HasDynamic && Source != EntrySource.Learned ? (int)Source
        : IsEvpn ? (int)EntrySource.Evpn
        : HasDynamic ? (int)Source
        : -1;
}
