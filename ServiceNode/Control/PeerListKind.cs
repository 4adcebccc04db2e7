namespace Replicator.ServiceNode.Control;

/// <summary>What a peer-list datagram carries (the <c>kind</c> tag of <c>vxsnd.peerlists.sent</c>).</summary>
internal enum PeerListKind
{
    /// <summary>Whole member lists (with their generations for VTEPs that speak deltas).</summary>
    Full,

    /// <summary>Changes on top of a generation the VTEP holds (PROTOCOL.md 5.2).</summary>
    Delta,

    /// <summary>Nothing changed: an empty list, so the VTEP still hears its service node.</summary>
    Empty,

    /// <summary>The current generation of a VNI whose pushes have gone quiet, so a lost last push is noticed (PROTOCOL.md 5.2).</summary>
    Current,

    /// <summary>Parts of a kept full list sent again, those a VTEP said it lacks (Register key 7, PROTOCOL.md 5.2).</summary>
    Parts,
}
