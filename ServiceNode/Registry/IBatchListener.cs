namespace Replicator.ServiceNode.Registry;

/// <summary>
/// Told, on the control loop, that a batch of work has run and its changes are about to be published
/// (before any <see cref="IMembershipListener"/> hears of them), so what the batch's work items
/// collected can leave now and ahead of the pushes the publication triggers. Must not block.
/// </summary>
internal interface IBatchListener
{
    void OnBatchEnding(Registry registry);
}
