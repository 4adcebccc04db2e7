namespace Replicator.ServiceNode.Registry;

/// <summary>One entry as reported to operators (<c>vxsnd fdb</c>).</summary>
/// <param name="Remaining">Remaining hold time; null for a static or EVPN-only entry (they never age).</param>
/// <param name="NodeId">Node identifier of the registering VTEP; null for static, learned and EVPN entries.</param>
internal sealed record EntryView(uint Vni, VtepAddress Address, TimeSpan? Remaining, string? NodeId, EntrySource Source);
