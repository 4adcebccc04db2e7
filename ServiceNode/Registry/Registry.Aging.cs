namespace Replicator.ServiceNode.Registry;

internal sealed partial class Registry
{
    /// <summary>
    /// Removes every dynamic entry whose hold time has run out (expiry &lt;= now: an entry
    /// registered for 90 s is gone exactly 90 s later). Only VNIs whose earliest expiry is due are
    /// scanned, so a tick over a million healthy entries costs next to nothing.
    /// </summary>
    /// <returns>Entries removed or downgraded to static-only.</returns>
    public int ExpireDue()
    {
        long now = Now;
        int expired = 0;
        while (_checks.TryPeek(out uint vni, out long due) && due <= now)
        {
            _checks.Dequeue();
            if (!_vnis.TryGetValue(vni, out var state) || state.NextCheck != due) continue; // superseded
            expired += Sweep(state, now);
        }
        if (expired > 0) Log.Expired(_logger, expired);

        // Node records (reply endpoints) outlive nothing they registered.
        List<VtepAddress>? gone = null;
        foreach (var (address, node) in _nodes)
        {
            if (node.ExpiresAt <= now) (gone ??= []).Add(address);
        }
        if (gone is not null) foreach (var address in gone) _nodes.Remove(address);
        return expired;
    }

    private int Sweep(VniState state, long now)
    {
        List<VtepAddress>? expired = null;
        long next = long.MaxValue;
        foreach (var (address, entry) in state.Members)
        {
            if (!entry.HasDynamic) continue;
            if (entry.ExpiresAt <= now) (expired ??= []).Add(address);
            else if (entry.ExpiresAt < next) next = entry.ExpiresAt;
        }
        if (expired is not null) foreach (var address in expired) ClearDynamic(state, address);
        state.NextCheck = next;
        if (next != long.MaxValue && _vnis.ContainsKey(state.Vni)) _checks.Enqueue(state.Vni, next);
        return expired?.Count ?? 0;
    }
}
