namespace Replicator.Protocol.Control;

/// <summary>
/// A service node's peer list (type 2): for each VNI, the VTEP addresses registered in it.
/// When one list is split over several datagrams, they share <paramref name="Generation"/> and
/// carry <paramref name="PartIndex"/> of <paramref name="PartCount"/>; a receiver that holds all
/// parts of a generation knows the complete membership, and each part alone is still valid
/// soft state for <paramref name="HoldTimeSeconds"/>.
/// </summary>
/// <param name="HoldTimeSeconds">How long the receiver may trust these entries without news.</param>
/// <param name="Vnis">VNI -> member addresses; a VNI's list may be empty (no other member); no VNI twice in one part.</param>
/// <param name="Generation">Sender's counter identifying one logical peer list.</param>
/// <param name="PartIndex">0-based index of this part.</param>
/// <param name="PartCount">Number of parts of this generation, at least 1.</param>
/// <remarks>
/// <see cref="Cookie"/> (key 5, optional): the return-routability cookie the service node gives the
/// receiving address; the VTEP echoes it in its registrations. Every part of a split list carries it.
/// <see cref="Generations"/> (key 6, optional): the generation of each VNI's list in <see cref="Vnis"/>.
/// <see cref="Deltas"/> (key 7, optional): changes to apply on top of a held generation (PROTOCOL.md 5.2);
/// a list of deltas carries an empty <see cref="Vnis"/>, so a receiver that does not know key 7 changes nothing.
/// <see cref="Instance"/> (key 8, optional): names the sending service node's run, so a receiver tells a restart
/// (or another node of a cluster) from an old message repeated (PROTOCOL.md 5.3).
/// </remarks>
public sealed record PeerListMessage(
    uint HoldTimeSeconds,
    IReadOnlyList<VniAddresses> Vnis,
    uint Generation = 0,
    ushort PartIndex = 0,
    ushort PartCount = 1) : ControlMessage
{
    public override ControlMessageType Type => ControlMessageType.PeerList;

    /// <summary>The receiver's return-routability cookie (16 bytes, big-endian on the wire); null: none.</summary>
    public UInt128? Cookie { get; init; }

    /// <summary>The generation of each VNI's list in <see cref="Vnis"/> (key 6); null: none given.</summary>
    public IReadOnlyList<VniGeneration>? Generations { get; init; }

    /// <summary>Changes per VNI (key 7), applied in order; null: none.</summary>
    public IReadOnlyList<PeerListDelta>? Deltas { get; init; }

    /// <summary>The sender's instance (key 8), 1..2^32-1, chosen at random when it starts; null: none given.</summary>
    public uint? Instance { get; init; }

    public bool Equals(PeerListMessage? other) =>
        other is not null && base.Equals(other) && HoldTimeSeconds == other.HoldTimeSeconds && Generation == other.Generation
        && PartIndex == other.PartIndex && PartCount == other.PartCount && Cookie == other.Cookie && Instance == other.Instance && ListEquality.Equal(Vnis, other.Vnis)
        && ListEquality.Equal(Generations, other.Generations) && ListEquality.Equal(Deltas, other.Deltas);

    public override int GetHashCode() => HashCode.Combine(HoldTimeSeconds, Generation, PartIndex, PartCount, Cookie, ListEquality.Hash(Vnis));
}
