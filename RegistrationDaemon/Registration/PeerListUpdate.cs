using System.Net;

namespace Replicator.RegistrationDaemon.Registration;

/// <summary>
/// A peer list received from <see cref="Sender"/>: for each VNI listed, its complete member set.
/// <see cref="Generation"/> is the sender's peer-list counter; it only grows while the sender runs.
/// </summary>
internal sealed record PeerListUpdate(IPEndPoint Sender, TimeSpan HoldTime, IReadOnlyDictionary<uint, IReadOnlyList<IPAddress>> Members, uint Generation = 0);
