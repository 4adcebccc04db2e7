using System.Net;

namespace Replicator.Protocol.Control;

/// <summary>
/// One change of a VNI's peer list (PROTOCOL.md 5.2): a receiver that holds generation
/// <paramref name="BaseGeneration"/> of <paramref name="Vni"/> adds <paramref name="Added"/>, removes
/// <paramref name="Removed"/> and then holds <paramref name="Generation"/>; a receiver that holds
/// another generation ignores it and asks for the list again. Compares by value, addresses in order.
/// </summary>
public sealed record PeerListDelta(uint Vni, uint BaseGeneration, uint Generation, IReadOnlyList<IPAddress> Added, IReadOnlyList<IPAddress> Removed)
{
    public bool Equals(PeerListDelta? other) =>
        other is not null && Vni == other.Vni && BaseGeneration == other.BaseGeneration && Generation == other.Generation
        && ListEquality.Equal(Added, other.Added) && ListEquality.Equal(Removed, other.Removed);

    public override int GetHashCode() => HashCode.Combine(Vni, BaseGeneration, Generation, ListEquality.Hash(Added), ListEquality.Hash(Removed));
}
