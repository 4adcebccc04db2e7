using System.Collections.Immutable;
using System.Net;

namespace Replicator.RegistrationDaemon.Registration;

/// <summary>
/// The last member set the service node reported for each VNI, and the peer-list generation it is
/// (PROTOCOL.md 5.2; 0: not known, the next refresh asks for the whole list). Nothing here ages: when
/// the service node goes silent, the last known peers stay (fail-static).
/// </summary>
internal sealed class PeerBook
{
    private static readonly IComparer<IPAddress> Order = Comparer<IPAddress>.Create(AddressOrder.Compare);
    private readonly SortedDictionary<uint, ImmutableSortedSet<IPAddress>> _members = [];
    private readonly Dictionary<uint, uint> _generations = [];

    public IEnumerable<KeyValuePair<uint, ImmutableSortedSet<IPAddress>>> All => _members;

    public bool TryGet(uint vni, out ImmutableSortedSet<IPAddress> members) => _members.TryGetValue(vni, out members!);

    /// <summary>Replaces a VNI's members; true when they differ from what was known.</summary>
    public bool Set(uint vni, IEnumerable<IPAddress> members)
    {
        var next = members.Select(Hosting.Addressing.AddressPolicy.Normalize).ToImmutableSortedSet(Order);
        if (_members.TryGetValue(vni, out var previous) && previous.SetEquals(next)) return false;
        _members[vni] = next;
        return true;
    }

    /// <summary>The generation of the VNI's member set; 0 when not known.</summary>
    public uint Generation(uint vni) => _generations.GetValueOrDefault(vni);

    /// <summary>Records which generation the VNI's members are (0: not known).</summary>
    public void SetGeneration(uint vni, uint generation)
    {
        if (generation == 0) _generations.Remove(vni);
        else _generations[vni] = generation;
    }

    /// <summary>Adds and removes members (a delta); true when the set changed.</summary>
    public bool Change(uint vni, IEnumerable<IPAddress> added, IEnumerable<IPAddress> removed)
    {
        var before = _members.TryGetValue(vni, out var known) ? known : ImmutableSortedSet.Create(Order);
        var after = before.Union(added.Select(Hosting.Addressing.AddressPolicy.Normalize)).Except(removed.Select(Hosting.Addressing.AddressPolicy.Normalize));
        if (after.SetEquals(before)) return false;
        _members[vni] = after;
        return true;
    }

    public void Forget(uint vni)
    {
        _members.Remove(vni);
        _generations.Remove(vni);
    }
}
