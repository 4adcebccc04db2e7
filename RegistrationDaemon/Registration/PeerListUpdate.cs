using System.Net;
using Replicator.Protocol.Control;

namespace Replicator.RegistrationDaemon.Registration;

/// <summary>
/// A peer list received from <see cref="Sender"/>: for each VNI listed, its complete member set.
/// <see cref="Generation"/> is the sender's peer-list counter; a sender that names its <see cref="Instance"/> may
/// repeat an older one (a kept list), one that does not only counts up while it runs.
/// <see cref="Generations"/>: the generation of each listed VNI's member set (PROTOCOL.md 5.2), null when
/// the sender named none. <see cref="Deltas"/>: changes on top of a held generation, in order, the pieces
/// of a delta split over parts joined again; null when none. <see cref="IsPart"/>: only a part of a split
/// list arrived, which is not complete yet (no members; the service node is alive and the list on its way).
/// <see cref="IncompleteLists"/>: incomplete split lists held after this datagram. <see cref="Repaired"/>:
/// a split list completed by a repeated answer after a repair (PROTOCOL.md 5.2): its generation was first
/// seen before the messages received since, so it says nothing about the sender's counter going back.
/// <see cref="Instance"/>: the sender's run (PROTOCOL.md 5.3), null when it named none.
/// </summary>
internal sealed record PeerListUpdate(IPEndPoint Sender, TimeSpan HoldTime, IReadOnlyDictionary<uint, IReadOnlyList<IPAddress>> Members, uint Generation = 0)
{
    public IReadOnlyDictionary<uint, uint>? Generations { get; init; }

    public IReadOnlyList<PeerListDelta>? Deltas { get; init; }

    public bool IsPart { get; init; }

    public int IncompleteLists { get; init; }

    public bool Repaired { get; init; }

    public uint? Instance { get; init; }

    /// <summary>A part of a split list that is still incomplete.</summary>
    public static PeerListUpdate Part(IPEndPoint sender, int incompleteLists) =>
        new(sender, TimeSpan.Zero, new Dictionary<uint, IReadOnlyList<IPAddress>>()) { IsPart = true, IncompleteLists = incompleteLists };
}
