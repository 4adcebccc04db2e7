namespace Replicator.ServiceNode.Management;

/// <summary>One registry entry in <c>GET /fdb</c> and <c>vxsnd fdb --json</c>.</summary>
/// <param name="HoldRemaining">Seconds of hold time left; null for a static or EVPN-only entry (never ages).</param>
/// <param name="NodeId">Node identifier of the registering VTEP; null for static, learned and EVPN entries.</param>
/// <param name="Source">registered, relayed, learned, static or evpn.</param>
internal sealed record FdbEntryResponse(uint Vni, string Address, double? HoldRemaining, string? NodeId, string Source);
