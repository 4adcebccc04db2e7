namespace Replicator.ServiceNode.Cluster;

/// <summary>
/// "The start-up sync is over": the table was merged from a peer, or no peer answered within
/// <c>SyncTimeout</c>, or there are no peers. Until then the node must not report ready (<c>/readyz</c>),
/// serve its table to other nodes, or hold the anycast address. The host wires it into its readiness
/// (for example a <c>ReadinessState</c> condition "cluster synced" met when <see cref="WhenSynced"/> completes).
/// </summary>
internal sealed class ClusterReadiness
{
    /// <summary>Name of the readiness condition this stands for.</summary>
    public const string ConditionName = "cluster synced";

    private readonly TaskCompletionSource _synced = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public bool IsSynced => _synced.Task.IsCompleted;

    /// <summary>Completes once, when the start-up sync is over (whatever its outcome); never faults.</summary>
    public Task WhenSynced => _synced.Task;

    internal void MarkSynced() => _synced.TrySetResult();
}
