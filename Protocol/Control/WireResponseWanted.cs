namespace Replicator.Protocol.Control;

/// <summary>What a registering VTEP asks the service node to answer with (wire value in parentheses).</summary>
public enum WireResponseWanted : byte
{
    /// <summary>(0) No answer: a plain refresh in ServiceNode mode.</summary>
    None = 0,
    /// <summary>(1) A peer list for each VNI in this registration (HeadEnd mode).</summary>
    RegisteredVnis = 1,
    /// <summary>(2) Peer lists for every VNI the service node knows.</summary>
    AllVnis = 2,
}
