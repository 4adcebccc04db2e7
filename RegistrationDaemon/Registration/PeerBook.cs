using System.Collections.Immutable;
using System.Net;

namespace Replicator.RegistrationDaemon.Registration;

/// <summary>
/// The last member set the service node reported for each VNI. Nothing here ages: when the
/// service node goes silent, the last known peers stay (fail-static).
/// </summary>
internal sealed class PeerBook
{
    private static readonly IComparer<IPAddress> Order = Comparer<IPAddress>.Create(AddressOrder.Compare);
    private readonly SortedDictionary<uint, ImmutableSortedSet<IPAddress>> _members = [];

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

    public void Forget(uint vni) => _members.Remove(vni);
}
