namespace Replicator.Protocol.Control;

/// <summary>How a service node learned a registry entry (wire value in parentheses).</summary>
public enum WireEntrySource : byte
{
    /// <summary>(0) A VTEP registered it with this service node.</summary>
    Registered = 0,
    /// <summary>(1) Another service node relayed a VTEP's registration.</summary>
    Relayed = 1,
    /// <summary>(2) Learned from the data plane (a VXLAN datagram's source).</summary>
    Learned = 2,
    /// <summary>(3) Configured by an operator; never ages.</summary>
    Static = 3,
}
