using System.Net;

namespace Replicator.Benchmarks.Fleet;

/// <summary>
/// The membership a converged fleet must hold: for every VNI, the addresses of every VTEP that
/// belongs to it. Decides whether one VTEP's list for a VNI is complete and compares the service
/// node's registry with it (the registry's truth must be this target, or convergence means nothing).
/// Pure logic: no sockets, no clock.
/// </summary>
internal sealed class FleetMembership
{
    private readonly Dictionary<uint, HashSet<IPAddress>> _target = [];
    private readonly Dictionary<uint, FleetMemberSet> _targetSets = [];

    /// <param name="vnisOf">The VNIs of VTEP i.</param>
    /// <param name="addressOf">The address of VTEP i.</param>
    public FleetMembership(int vteps, Func<int, IReadOnlyList<uint>> vnisOf, Func<int, IPAddress> addressOf)
    {
        ArgumentNullException.ThrowIfNull(vnisOf);
        ArgumentNullException.ThrowIfNull(addressOf);
        for (int i = 0; i < vteps; i++)
        {
            var address = addressOf(i);
            foreach (uint vni in vnisOf(i))
            {
                if (!_target.TryGetValue(vni, out var members)) _target[vni] = members = [];
                members.Add(address);
                if (!_targetSets.TryGetValue(vni, out var set)) _targetSets[vni] = set = new FleetMemberSet();
                set.Add(address);
            }
        }
        Entries = _target.Values.Sum(m => m.Count);
    }

    /// <summary>(VNI, address) pairs in the target.</summary>
    public int Entries { get; }

    public int Vnis => _target.Count;

    /// <summary>Members of <paramref name="vni"/> in the target (0 for a VNI nobody joins).</summary>
    public int MembersOf(uint vni) => _target.TryGetValue(vni, out var m) ? m.Count : 0;

    /// <summary>
    /// True when <paramref name="members"/> (a set: no address twice) is exactly the target of
    /// <paramref name="vni"/>. The count is compared first, so a list still growing costs nothing.
    /// </summary>
    public bool Holds(uint vni, IReadOnlyCollection<IPAddress> members) => Holds(vni, new FleetMemberSet(members));

    /// <summary>As <see cref="Holds(uint, IReadOnlyCollection{IPAddress})"/> for the simulator's own sets: counts first, then one AND per 64 VTEPs.</summary>
    public bool Holds(uint vni, FleetMemberSet members)
    {
        ArgumentNullException.ThrowIfNull(members);
        if (!_targetSets.TryGetValue(vni, out var target) || members.Count != target.Count || members.Foreign > 0) return false;
        return members.CommonFleet(target) == target.Count;
    }

    /// <summary>How far <paramref name="members"/> is from the target of <paramref name="vni"/>: target addresses it lacks, addresses it has that the target does not.</summary>
    public (int Missing, int Extra) Gap(uint vni, FleetMemberSet members)
    {
        ArgumentNullException.ThrowIfNull(members);
        if (!_targetSets.TryGetValue(vni, out var target)) return (0, members.Count);
        int common = members.CommonFleet(target);
        return (target.Count - common, members.Count - common);
    }

    /// <summary>
    /// Differences between the registry's entries and the target, as lines "missing VNI ADDRESS"
    /// and "unexpected VNI ADDRESS"; at most <paramref name="limit"/> lines, empty when they agree.
    /// </summary>
    public IReadOnlyList<string> CompareWithRegistry(IEnumerable<(uint Vni, IPAddress Address)> registered, int limit = 10)
    {
        ArgumentNullException.ThrowIfNull(registered);
        var differences = new List<string>();
        var seen = new HashSet<(uint, IPAddress)>();
        foreach (var (vni, address) in registered)
        {
            if (!seen.Add((vni, address))) continue;
            if (!(_target.TryGetValue(vni, out var target) && target.Contains(address)) && differences.Count < limit)
                differences.Add($"unexpected {vni} {address}");
        }
        foreach (var (vni, members) in _target)
        {
            foreach (var address in members)
            {
                if (differences.Count >= limit) return differences;
                if (!seen.Contains((vni, address))) differences.Add($"missing {vni} {address}");
            }
        }
        return differences;
    }
}
