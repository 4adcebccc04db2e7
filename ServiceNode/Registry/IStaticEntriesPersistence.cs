namespace Replicator.ServiceNode.Registry;

/// <summary>
/// Where the registry makes static changes durable before it applies them. Each call returns only
/// once the change is on disk; throwing (IOException, UnauthorizedAccessException) aborts the change.
/// </summary>
internal interface IStaticEntriesPersistence
{
    /// <summary>One entry added (cost independent of how many entries there are).</summary>
    void Add(StaticEntry entry);

    /// <summary>One entry removed (cost independent of how many entries there are).</summary>
    void Remove(StaticEntry entry);

    /// <summary>The whole set replaced (<c>vxsnd fdb load</c>).</summary>
    void ReplaceAll(IReadOnlyCollection<StaticEntry> entries);
}
