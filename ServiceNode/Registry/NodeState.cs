using System.Net;

namespace Replicator.ServiceNode.Registry;

/// <summary>
/// What the registry knows about one registering VTEP address: its node identifier (to detect
/// restarts) and where it wants peer lists. Per address, not per entry: 5,000 VTEPs, not a million.
/// </summary>
internal sealed class NodeState(string nodeId)
{
    public string NodeId = nodeId;
    public IPEndPoint? ReplyTo;
    public ResponseWanted Response;

    /// <summary>Latest expiry of anything this node registered; the state is dropped after it.</summary>
    public long ExpiresAt;
}
