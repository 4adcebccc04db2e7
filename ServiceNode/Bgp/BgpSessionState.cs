namespace Replicator.ServiceNode.Bgp;

/// <summary>The RFC 4271 §8 session states, numbered as the BGP MIB (RFC 4273 bgpPeerState) numbers them: the value of the state gauge.</summary>
internal enum BgpSessionState
{
    Idle = 1,
    Connect = 2,
    Active = 3,
    OpenSent = 4,
    OpenConfirm = 5,
    Established = 6,
}
