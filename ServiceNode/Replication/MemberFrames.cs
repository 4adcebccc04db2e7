using Replicator.ServiceNode.Registry;

namespace Replicator.ServiceNode.Replication;

/// <summary>
/// The frame templates of one VNI's members, in member order (<see cref="VniMembers.IPv4"/>, and
/// <see cref="VniMembers.IPv6"/> 16 bytes per entry), so that a copy indexes an array instead of
/// hashing its destination. Built for one member snapshot and one next-hop version; a new snapshot
/// of either replaces it.
/// </summary>
internal sealed class MemberFrames(VniMembers members, FrameTemplate[] ipv4, FrameTemplate[] ipv6)
{
    public VniMembers Members { get; } = members;

    public FrameTemplate[] IPv4 { get; } = ipv4;

    public FrameTemplate[] IPv6 { get; } = ipv6;
}
