using System.Net;

namespace Replicator.ServiceNode.Registry;

internal sealed partial class Registry
{
    /// <summary>VNIs that currently have entries.</summary>
    public IEnumerable<uint> Vnis => _vnis.Keys;

    public bool Contains(uint vni, VtepAddress address) => _vnis.TryGetValue(vni, out var s) && s.Members.ContainsKey(address);

    /// <summary>The entries of one VNI (or all, sorted by VNI then address) for operators.</summary>
    public IReadOnlyList<EntryView> GetEntries(uint? vni = null)
    {
        long now = Now;
        var result = new List<EntryView>();
        if (vni is { } v)
        {
            if (_vnis.TryGetValue(v, out var state)) AddViews(state, now, result);
        }
        else
        {
            foreach (var state in _vnis.Values) AddViews(state, now, result);
        }
        result.Sort(static (a, b) => a.Vni != b.Vni ? a.Vni.CompareTo(b.Vni) : CompareAddresses(a.Address, b.Address));
        return result;
    }

    /// <summary>Adds the members of <paramref name="vni"/> to <paramref name="members"/> (empty when unknown), except the node's own addresses.</summary>
    public void CollectMembers(uint vni, List<VtepAddress> members)
    {
        ArgumentNullException.ThrowIfNull(members);
        if (!_vnis.TryGetValue(vni, out var state)) return;
        foreach (var address in state.Members.Keys)
        {
            if (!_own.Contains(address)) members.Add(address);
        }
    }

    /// <summary>Adds the reply endpoints of members of <paramref name="vni"/> that asked for responses (the push targets).</summary>
    public void CollectSubscribers(uint vni, HashSet<IPEndPoint> subscribers)
    {
        ArgumentNullException.ThrowIfNull(subscribers);
        if (!_vnis.TryGetValue(vni, out var state)) return;
        foreach (var address in state.Members.Keys)
        {
            if (_nodes.TryGetValue(address, out var node) && node.Response != ResponseWanted.None && node.ReplyTo is { } to)
                subscribers.Add(to);
        }
    }

    /// <summary>
    /// Takes the VNIs whose membership changed since the last call and publishes their new <see cref="VniMembers"/>
    /// snapshot (an empty set removes the VNI from the table). Entries whose address is now one of the node's
    /// own (<see cref="Own"/>) are left out: the data plane never sends a copy to the node itself.
    /// </summary>
    public IReadOnlyList<uint> PublishChanges()
    {
        if (_changed.Count == 0) return [];
        var changed = new List<uint>(_changed);
        _changed.Clear();
        foreach (uint vni in changed)
        {
            var addresses = _vnis.TryGetValue(vni, out var state)
                ? state.Members.Keys.Where(a => !_own.Contains(a)).Select(static a => a.ToIPAddress())
                : [];
            _table.Publish(new VniMembers(vni, addresses));
        }
        return changed;
    }

    private void AddViews(VniState state, long now, List<EntryView> result)
    {
        foreach (var (address, entry) in state.Members)
        {
            // Static and EVPN-only entries never age: no remaining hold time.
            TimeSpan? remaining = entry.IsStatic || !entry.HasDynamic ? null : TimeSpan.FromTicks(Math.Max(0, entry.ExpiresAt - now));
            string? nodeId = entry.HasDynamic && entry.Source != EntrySource.Learned && _nodes.TryGetValue(address, out var node) ? node.NodeId : null;
            result.Add(new EntryView(state.Vni, address, remaining, nodeId, (EntrySource)entry.Class));
        }
    }

    private static int CompareAddresses(VtepAddress a, VtepAddress b)
    {
        if (a.IsIPv4 != b.IsIPv4) return a.IsIPv4 ? -1 : 1;
        Span<byte> x = stackalloc byte[16];
        Span<byte> y = stackalloc byte[16];
        int n = a.WriteBytes(x);
        b.WriteBytes(y);
        return x[..n].SequenceCompareTo(y[..n]);
    }
}
