namespace Replicator.Protocol.Bgp;

/// <summary>Path attribute type codes the codec knows (RFC 4271, 4456, 4760, 4360, 6514).</summary>
public enum BgpAttributeType : byte
{
    Origin = 1,
    AsPath = 2,
    NextHop = 3,
    MultiExitDiscriminator = 4,
    LocalPreference = 5,
    OriginatorId = 9,
    ClusterList = 10,
    MpReachNlri = 14,
    MpUnreachNlri = 15,
    ExtendedCommunities = 16,
    PmsiTunnel = 22,
}

/// <summary>The attribute flags octet (RFC 4271 §4.3).</summary>
[Flags]
public enum BgpAttributeFlags : byte
{
    None = 0,
    ExtendedLength = 0x10,
    Partial = 0x20,
    Transitive = 0x40,
    Optional = 0x80,
}
