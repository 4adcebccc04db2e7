using Replicator.ServiceNode.Registry;

namespace Replicator.ServiceNode.Cluster;

/// <summary>
/// Told, on the registry loop, about every registration datagram the control plane applied
/// successfully (refreshes and withdrawals included), right after it was applied. The relay is one.
/// Must not block: it runs on the loop that every registry change waits for.
/// </summary>
internal interface IRegistrationListener
{
    /// <param name="registration">As applied; <see cref="Registration.ReplyTo"/> is the datagram's source.</param>
    void OnRegistrationApplied(Registry.Registry registry, Registration registration);
}
