using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;

namespace Replicator.ServiceNode.Registry;

/// <summary>
/// VNI -> current <see cref="VniMembers"/> snapshot. The registry's control loop is the only
/// writer and replaces a VNI's snapshot with one reference store; replication workers read
/// with <see cref="TryGet"/>, which takes no lock and allocates nothing.
/// </summary>
internal sealed class MemberTable
{
    private readonly ConcurrentDictionary<uint, VniMembers> _byVni = new();

    public bool TryGet(uint vni, [NotNullWhen(true)] out VniMembers? members) => _byVni.TryGetValue(vni, out members);

    /// <summary>Publishes a VNI's new member set; an empty set removes the VNI.</summary>
    public void Publish(VniMembers members)
    {
        if (members.Addresses.IsEmpty) _byVni.TryRemove(members.Vni, out _);
        else _byVni[members.Vni] = members;
    }

    public int VniCount => _byVni.Count;

    public IEnumerable<VniMembers> All => _byVni.Values;
}
