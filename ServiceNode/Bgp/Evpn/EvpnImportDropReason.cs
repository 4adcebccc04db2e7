namespace Replicator.ServiceNode.Bgp.Evpn;

/// <summary>Why a received type-3 route did not become a registry entry; the <c>reason</c> tag of <c>vxsnd.bgp.evpn.import.dropped</c>.</summary>
internal enum EvpnImportDropReason
{
    /// <summary>None of its route targets is imported (<c>ImportRouteTargets</c>).</summary>
    Filtered,

    /// <summary>Its PMSI label (the VNI) is above 2^24 - 1.</summary>
    InvalidVni,

    /// <summary>The address policy refused its VTEP (loopback, own, multicast, ...; also counted by <c>vxsnd.registry.addresses.refused</c>).</summary>
    Address,

    /// <summary>The VNI already has <c>MaxMembersPerVni</c> members.</summary>
    TooManyMembers,

    /// <summary>The registry already has <c>MaxEntries</c> entries.</summary>
    TooManyEntries,
}

internal static class EvpnImportDropReasons
{
    /// <summary>Tag values, allocated once (index = <see cref="EvpnImportDropReason"/>).</summary>
    public static readonly string[] Tags = ["filtered", "invalid_vni", "address", "too_many_members", "too_many_entries"];

    public static string Tag(this EvpnImportDropReason reason) => Tags[(int)reason];
}
