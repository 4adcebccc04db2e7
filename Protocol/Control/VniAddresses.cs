using System.Net;

namespace Replicator.Protocol.Control;

/// <summary>
/// One VNI and its VTEP addresses (IPv4 or IPv6; an IPv6 scope id is not carried).
/// Compares by value, addresses in order.
/// </summary>
public sealed record VniAddresses(uint Vni, IReadOnlyList<IPAddress> Addresses)
{
    public bool Equals(VniAddresses? other) =>
        other is not null && Vni == other.Vni && ListEquality.Equal(Addresses, other.Addresses);

    public override int GetHashCode() => HashCode.Combine(Vni, ListEquality.Hash(Addresses));
}
