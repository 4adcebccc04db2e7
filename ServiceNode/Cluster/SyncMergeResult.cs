namespace Replicator.ServiceNode.Cluster;

/// <summary>What a merge of a peer's table did.</summary>
/// <param name="Applied">Entries now held with the peer's remaining hold time (or learned).</param>
/// <param name="Skipped">Static, expired or invalid entries that were not taken.</param>
/// <param name="Rejected">Entries refused by the registry (bounds: MaxEntries, MaxMembersPerVni).</param>
internal readonly record struct SyncMergeResult(int Applied, int Skipped, int Rejected);
