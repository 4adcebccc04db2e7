using System.Net;

namespace Replicator.ServiceNode.Registry;

/// <summary>One published change of a VNI's member set: from generation <paramref name="Base"/> to <paramref name="Generation"/>.</summary>
internal sealed record MembershipStep(uint Base, uint Generation, IPAddress[] Added, IPAddress[] Removed)
{
    /// <summary>Addresses the step holds (what it costs in the history's bound).</summary>
    public int Size => Added.Length + Removed.Length;
}
