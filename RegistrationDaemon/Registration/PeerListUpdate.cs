using System.Net;
using Replicator.Protocol.Control;

namespace Replicator.RegistrationDaemon.Registration;

/// <summary>
/// A peer list received from <see cref="Sender"/>: for each VNI listed, its complete member set.
/// <see cref="Generation"/> is the sender's peer-list counter; it only grows while the sender runs.
/// <see cref="Generations"/>: the generation of each listed VNI's member set (PROTOCOL.md 5.2), null when
/// the sender named none. <see cref="Deltas"/>: changes on top of a held generation, in order, the pieces
/// of a delta split over parts joined again; null when none.
/// </summary>
internal sealed record PeerListUpdate(IPEndPoint Sender, TimeSpan HoldTime, IReadOnlyDictionary<uint, IReadOnlyList<IPAddress>> Members, uint Generation = 0)
{
    public IReadOnlyDictionary<uint, uint>? Generations { get; init; }

    public IReadOnlyList<PeerListDelta>? Deltas { get; init; }
}
