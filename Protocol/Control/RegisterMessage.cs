namespace Replicator.Protocol.Control;

/// <summary>
/// A VTEP's registration (type 1): "node <paramref name="NodeId"/> is in these VNIs at these
/// addresses for <paramref name="HoldTimeSeconds"/> seconds". Hold time 0 withdraws the listed
/// (VNI, address) pairs. Each datagram is self-contained: a receiver applies each one alone.
/// </summary>
/// <param name="NodeId">The VTEP's identifier (normally its host name), 1..255 UTF-8 bytes.</param>
/// <param name="HoldTimeSeconds">How long the entries live unless refreshed; 0 = withdraw.</param>
/// <param name="Relayed">Set by a service node forwarding another node's registration; a relayed registration is never relayed again.</param>
/// <param name="ResponseWanted">Which peer lists the sender wants back.</param>
/// <param name="Vnis">VNI -> VTEP addresses; no VNI twice.</param>
/// <remarks>
/// <see cref="Cookie"/> (key 5, optional): the last return-routability cookie the VTEP received
/// from its service node, echoed back so the service node knows the address receives what it sends.
/// <see cref="Generations"/> (key 6, optional): the peer-list generation the VTEP holds for each VNI
/// (0: none); its presence says the VTEP understands peer-list deltas (PROTOCOL.md 5.2).
/// <see cref="Incomplete"/> (key 7, optional): the split peer list the VTEP holds only some parts of, so
/// the service node can send just the missing ones (PROTOCOL.md 5.2, "incomplete lists").
/// </remarks>
public sealed record RegisterMessage(
    string NodeId,
    uint HoldTimeSeconds,
    bool Relayed,
    WireResponseWanted ResponseWanted,
    IReadOnlyList<VniAddresses> Vnis) : ControlMessage
{
    public override ControlMessageType Type => ControlMessageType.Register;

    /// <summary>The echoed return-routability cookie (16 bytes, big-endian on the wire); null: none.</summary>
    public UInt128? Cookie { get; init; }

    /// <summary>The held peer-list generation per VNI (key 6); null: the sender does not speak deltas.</summary>
    public IReadOnlyList<VniGeneration>? Generations { get; init; }

    /// <summary>The incomplete peer list held (key 7); null: none.</summary>
    public IncompleteList? Incomplete { get; init; }

    public bool Equals(RegisterMessage? other) =>
        other is not null && base.Equals(other) && NodeId == other.NodeId && HoldTimeSeconds == other.HoldTimeSeconds
        && Relayed == other.Relayed && ResponseWanted == other.ResponseWanted && Cookie == other.Cookie && ListEquality.Equal(Vnis, other.Vnis)
        && ListEquality.Equal(Generations, other.Generations) && Equals(Incomplete, other.Incomplete);

    public override int GetHashCode() => HashCode.Combine(NodeId, HoldTimeSeconds, Relayed, ResponseWanted, Cookie, ListEquality.Hash(Vnis));
}
