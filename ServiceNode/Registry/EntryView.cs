namespace Replicator.ServiceNode.Registry;

/// <summary>One entry as reported to operators (<c>vxsnd fdb</c>).</summary>
/// <param name="Remaining">Remaining hold time; null for a static entry (it never ages).</param>
/// <param name="NodeId">Node identifier of the registering VTEP; null for static and learned entries.</param>
internal sealed record EntryView(uint Vni, VtepAddress Address, TimeSpan? Remaining, string? NodeId, EntrySource Source);
