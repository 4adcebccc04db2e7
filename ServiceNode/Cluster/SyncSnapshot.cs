using Replicator.Protocol.Control;
using Replicator.ServiceNode.Registry;

namespace Replicator.ServiceNode.Cluster;

/// <summary>
/// The part of the table a peer receives: entries VTEPs registered (here or at another node), with
/// their remaining hold time and node id. Static entries are not sent (each node's operator
/// configuration, persisted on its own disk), nor learned ones (a node's own observation of the data
/// plane, re-learned within one datagram by whichever node the traffic reaches).
/// </summary>
internal static class SyncSnapshot
{
    /// <summary>Runs on the registry loop.</summary>
    public static List<SyncEntry> Take(Registry.Registry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        var views = registry.GetEntries();
        var entries = new List<SyncEntry>(views.Count);
        foreach (var view in views)
        {
            if (view.Source is not (Registry.EntrySource.Registered or Registry.EntrySource.Relayed)) continue;
            if (view.NodeId is null || view.Remaining is not { } remaining || remaining <= TimeSpan.Zero) continue;
            // Rounded up: a rounded-down 0 would read as "expired" and lose an entry that is still valid.
            uint seconds = (uint)Math.Min(uint.MaxValue, Math.Ceiling(remaining.TotalSeconds));
            var source = view.Source == Registry.EntrySource.Registered ? WireEntrySource.Registered : WireEntrySource.Relayed;
            entries.Add(new SyncEntry(view.Vni, view.Address.ToIPAddress(), seconds, view.NodeId, source));
        }
        return entries;
    }
}
