namespace Replicator.ServiceNode.Registry;

/// <summary>
/// Told, on the control loop, which VNIs changed membership after the changes were published to the
/// <see cref="MemberTable"/>. May read <paramref name="registry"/> (it runs on the loop) but must not block.
/// </summary>
internal interface IMembershipListener
{
    void OnMembershipChanged(Registry registry, IReadOnlyList<uint> vnis);
}
