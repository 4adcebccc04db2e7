namespace Replicator.ServiceNode.Registry;

/// <summary>
/// Told, on the control loop after a batch, that entries changed whether they are exported
/// (<see cref="Registry.HasExportChanges"/>); it takes them with <see cref="Registry.TakeExportChanges"/>.
/// The EVPN bridge. Must not block.
/// </summary>
internal interface IExportListener
{
    void OnExportsChanged(Registry registry);
}
