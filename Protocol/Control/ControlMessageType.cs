namespace Replicator.Protocol.Control;

/// <summary>The type byte of the control header (PROTOCOL.md, "Header").</summary>
public enum ControlMessageType : byte
{
    /// <summary>VTEP to service node (UDP), or service node to service node when relayed.</summary>
    Register = 1,
    /// <summary>Service node to VTEP (UDP).</summary>
    PeerList = 2,
    /// <summary>Service node to service node full-table transfer (TCP, length-prefixed).</summary>
    Sync = 3,
}
