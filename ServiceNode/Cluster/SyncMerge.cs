using Replicator.Protocol.Control;
using Replicator.ServiceNode.Registry;

namespace Replicator.ServiceNode.Cluster;

/// <summary>
/// Merges a peer's table into the registry. Every registered or relayed entry becomes a relayed
/// entry here (this node did not hear it from the VTEP) that expires when it would have on the peer;
/// entries of one VTEP incarnation with one remaining time are applied as one registration, so a
/// million entries make a few thousand registry calls. Learned entries (from other implementations)
/// are learned with the local hold time; static ones are skipped (operator configuration is per node).
/// </summary>
internal static class SyncMerge
{
    /// <summary>Runs on the registry loop.</summary>
    public static SyncMergeResult Apply(Registry.Registry registry, IReadOnlyList<SyncEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(entries);
        int applied = 0, skipped = 0, rejected = 0;
        var groups = new Dictionary<(string NodeId, uint Seconds), Dictionary<uint, List<VtepAddress>>>();
        foreach (var entry in entries)
        {
            var address = VtepAddress.FromIPAddress(entry.Address);
            // Refused addresses (own ones too) are skipped one by one, not with the group they would share.
            if (entry.Vni > RegistryLimits.MaxVni || registry.CheckAddress(address, Registry.EntrySource.Relayed) != Hosting.Addressing.AddressRefusal.None)
            {
                skipped++;
                continue;
            }
            switch (entry.Source)
            {
                case WireEntrySource.Registered or WireEntrySource.Relayed when entry.RemainingHoldTimeSeconds > 0:
                    uint seconds = (uint)Math.Min(entry.RemainingHoldTimeSeconds, RegistryLimits.MaxHoldTime.TotalSeconds);
                    if (!groups.TryGetValue((entry.NodeId, seconds), out var vnis)) groups[(entry.NodeId, seconds)] = vnis = [];
                    if (!vnis.TryGetValue(entry.Vni, out var addresses)) vnis[entry.Vni] = addresses = [];
                    addresses.Add(address);
                    break;
                case WireEntrySource.Learned:
                    if (registry.Learn(entry.Vni, address).Succeeded) applied++;
                    else rejected++;
                    break;
                default:
                    skipped++; // static, or already expired on the peer
                    break;
            }
        }
        foreach (var ((nodeId, seconds), vnis) in groups)
        {
            var list = new List<VniRegistration>(vnis.Count);
            int count = 0;
            foreach (var (vni, addresses) in vnis)
            {
                list.Add(new VniRegistration(vni, addresses));
                count += addresses.Count;
            }
            var result = registry.Apply(new Registration(nodeId, TimeSpan.FromSeconds(seconds), Relayed: true, Registry.ResponseWanted.None, list));
            if (result.Succeeded) applied += count;
            else rejected += count;
        }
        return new SyncMergeResult(applied, skipped, rejected);
    }
}
