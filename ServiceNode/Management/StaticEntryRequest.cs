namespace Replicator.ServiceNode.Management;

/// <summary>A static entry in management requests (<c>POST /fdb/static</c>, <c>PUT /fdb/static</c>).</summary>
internal sealed record StaticEntryRequest(uint Vni, string Address);
