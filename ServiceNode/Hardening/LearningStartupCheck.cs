using Replicator.Hosting.Authentication;
using Replicator.Hosting.Configuration;
using Replicator.ServiceNode.Replication;

namespace Replicator.ServiceNode.Hardening;

/// <summary>
/// <c>AcceptUnregistered</c> learns a VTEP from any VXLAN datagram, which carries no signature: with
/// a key file alone in force it would let anyone join a VNI around the authentication. It is
/// therefore accepted only where unauthenticated control messages are too (<c>AllowUnauthenticated</c>).
/// </summary>
/// <param name="authentication">Absent where the data plane runs without the control plane (tests): nothing to check against then.</param>
internal sealed class LearningStartupCheck(StartupOptions<ReplicationOptions> replication, ControlAuthenticationSettings? authentication = null) : IStartupCheck
{
    public IReadOnlyList<string> Check() =>
        replication.Value.AcceptUnregistered && authentication is not null && !authentication.AllowUnauthenticated
            ? [$"{ReplicationOptions.SectionName}:{nameof(ReplicationOptions.AcceptUnregistered)} = 'true': learning VTEPs from unsigned VXLAN datagrams would let anyone join a VNI around the key file; it needs {authentication.AllowUnauthenticatedOptionName} = true"]
            : [];
}
