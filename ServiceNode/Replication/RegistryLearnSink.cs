using Replicator.ServiceNode.Registry;

namespace Replicator.ServiceNode.Replication;

/// <summary>
/// AcceptUnregistered: hands an unregistered sender to the registry's control loop, which learns
/// it for HoldTime (as vxfld did). TryLearn never blocks or allocates; a full queue drops the hint,
/// and the next datagram from that sender offers it again.
/// </summary>
internal sealed class RegistryLearnSink(IRegistryWriter registry) : IUnregisteredSenderSink
{
    public void OnUnregisteredSender(uint vni, ReadOnlySpan<byte> address, bool ipv6) => registry.TryLearn(vni, address, ipv6);
}
