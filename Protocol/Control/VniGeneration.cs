namespace Replicator.Protocol.Control;

/// <summary>
/// One VNI's peer-list generation (PROTOCOL.md 5.2): in a Register, the generation the VTEP holds
/// (0: it holds none); in a full PeerList, the generation of the list it carries.
/// </summary>
public readonly record struct VniGeneration(uint Vni, uint Generation);
