using System.Net;

namespace Replicator.RegistrationDaemon.Registration;

/// <summary>A peer list received from <see cref="Sender"/>: for each VNI listed, its complete member set.</summary>
public sealed record PeerListUpdate(IPEndPoint Sender, TimeSpan HoldTime, IReadOnlyDictionary<uint, IReadOnlyList<IPAddress>> Members);
