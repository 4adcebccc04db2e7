using Replicator.ServiceNode.Registry;

namespace Replicator.ServiceNode.Hardening;

/// <summary>
/// Which VNIs' peer lists answer a registration. Signed: what it asked for (every VNI for
/// <c>AllVnis</c>, its own VNIs for <c>RegisteredVnis</c>). Unsigned: only VNIs its source address is
/// a member of once the registration is applied, and nothing when it holds none, so a 17-byte
/// datagram with a spoofed source cannot make the node send a victim every peer list it has.
/// </summary>
internal static class AnswerScope
{
    /// <summary>Runs on the registry loop, after the registration was applied.</summary>
    public static IReadOnlyList<uint> Vnis(Registry.Registry registry, Registration registration, bool authenticated)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(registration);
        var asked = registration.Response == ResponseWanted.AllVnis ? registry.Vnis : registration.Vnis.Select(static v => v.Vni).Distinct();
        if (authenticated || registration.ReplyTo is not { } source) return [.. asked];
        var own = VtepAddress.FromIPAddress(source.Address); // IPv4-mapped sources compare as IPv4
        var held = new List<uint>();
        foreach (uint vni in asked)
            if (registry.Contains(vni, own)) held.Add(vni);
        return held;
    }
}
