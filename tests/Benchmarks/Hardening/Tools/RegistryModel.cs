using System.Net;

namespace Replicator.Benchmarks.Hardening.Tools;

/// <summary>The registry the service node must hold, as the load tool believes: (VNI, address) -> node id.</summary>
public sealed class RegistryModel
{
    private readonly Dictionary<(uint Vni, IPAddress Address), string> _entries = new();
    private readonly Lock _gate = new();

    public void Join(uint vni, IPAddress address, string nodeId) { lock (_gate) _entries[(vni, address)] = nodeId; }

    public void Leave(uint vni, IPAddress address) { lock (_gate) _entries.Remove((vni, address)); }

    public int Count { get { lock (_gate) return _entries.Count; } }

    public IReadOnlyList<ModelEntry> Snapshot()
    {
        lock (_gate) return [.. _entries.Select(e => new ModelEntry(e.Key.Vni, e.Key.Address.ToString(), e.Value)).Order()];
    }

    /// <summary>
    /// Differences between this model and the entries a service node reports (its registered
    /// entries only): what is missing there and what is there in excess. Empty when equal.
    /// </summary>
    public IReadOnlyList<string> Compare(IEnumerable<ModelEntry> actual)
    {
        var expected = Snapshot().ToHashSet();
        var got = actual.ToHashSet();
        return [
            .. expected.Except(got).Order().Select(e => $"missing {e}"),
            .. got.Except(expected).Order().Select(e => $"unexpected {e}"),
        ];
    }
}

/// <summary>One registered entry: VNI, address (canonical text), node id.</summary>
public readonly record struct ModelEntry(uint Vni, string Address, string NodeId) : IComparable<ModelEntry>
{
    public int CompareTo(ModelEntry other) =>
        Vni != other.Vni ? Vni.CompareTo(other.Vni)
        : string.CompareOrdinal(Address, other.Address) is var c and not 0 ? c
        : string.CompareOrdinal(NodeId, other.NodeId);

    public override string ToString() => $"{Vni} {Address} {NodeId}";
}
