namespace Replicator.ServiceNode.Management;

/// <summary>The answer to <c>PUT /fdb/static</c>: how many static entries are now configured.</summary>
internal sealed record StaticEntriesCount(int StaticEntries);
