using System.Net;

namespace Replicator.ServiceNode.Registry;

/// <summary>
/// One registration as the registry applies it (decoded from a control datagram by the codec
/// adapter, or built by tests and the benchmark).
/// </summary>
/// <param name="NodeId">The VTEP's node identifier; a new one from a known address means the VTEP restarted.</param>
/// <param name="HoldTime">How long the entries live without refresh; zero withdraws them.</param>
/// <param name="Relayed">Forwarded by another service node (entries get <see cref="EntrySource.Relayed"/>, no answer is sent).</param>
/// <param name="Response">What the sender wants back.</param>
/// <param name="Vnis">VNI -> addresses registered in it.</param>
/// <param name="ReplyTo">Where answers and pushed peer lists go (the datagram's source); null for none.</param>
internal sealed record Registration(
    string NodeId,
    TimeSpan HoldTime,
    bool Relayed,
    ResponseWanted Response,
    IReadOnlyList<VniRegistration> Vnis,
    IPEndPoint? ReplyTo = null);

/// <summary>The addresses registered in one VNI.</summary>
internal readonly record struct VniRegistration(uint Vni, IReadOnlyList<VtepAddress> Addresses);
