using System.Collections.Frozen;
using System.Net;

namespace Replicator.ServiceNode.Replication.NextHops;

/// <summary>
/// An immutable set of next hops, one per tracked destination, published whole. A destination
/// without an entry is unknown to the tracker (the packet path treats it as <see cref="NextHopState.Pending"/>).
/// </summary>
internal sealed class NextHopSnapshot
{
    public static readonly NextHopSnapshot Empty = new(0, []);

    private readonly FrozenDictionary<IPAddress, NextHop> _hops;

    public NextHopSnapshot(long version, IEnumerable<NextHop> hops)
    {
        Version = version;
        _hops = hops.ToFrozenDictionary(h => h.Destination);
    }

    /// <summary>Grows by at least one with every change; workers compare it to decide whether to rebuild.</summary>
    public long Version { get; }

    public int Count => _hops.Count;

    public IEnumerable<NextHop> All => _hops.Values;

    public bool TryGet(IPAddress destination, out NextHop hop) => _hops.TryGetValue(destination, out hop);
}
