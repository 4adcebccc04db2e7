namespace Replicator.ServiceNode.Cluster;

/// <summary>One start-up sync attempt with a peer.</summary>
/// <param name="At">When it ended (UTC).</param>
/// <param name="Entries">Entries received (0 when it failed).</param>
/// <param name="Error">Why it failed; null on success.</param>
internal sealed record SyncRecord(DateTimeOffset At, int Entries, string? Error)
{
    public bool Succeeded => Error is null;
}
