namespace Replicator.Protocol.Bgp;

/// <summary>
/// OPEN (RFC 4271 §4.2) with its capabilities (RFC 5492). <see cref="MyAs"/> is the 2-octet
/// field as sent (<see cref="BgpConstants.AsTrans"/> when the real AS needs 4 octets);
/// <see cref="AutonomousSystem"/> is the real one.
/// </summary>
public sealed record BgpOpenMessage(ushort MyAs, ushort HoldTime, uint BgpIdentifier, IReadOnlyList<BgpCapability> Capabilities) : BgpMessage
{
    public override BgpMessageType Type => BgpMessageType.Open;

    /// <summary>The OPEN we send: 4-octet AS, multiprotocol L2VPN/EVPN and route refresh.</summary>
    public static BgpOpenMessage Create(uint autonomousSystem, ushort holdTime, uint bgpIdentifier) => new(
        autonomousSystem <= ushort.MaxValue ? (ushort)autonomousSystem : BgpConstants.AsTrans,
        holdTime,
        bgpIdentifier,
        [
            BgpCapability.Multiprotocol(BgpConstants.AfiL2Vpn, BgpConstants.SafiEvpn),
            BgpCapability.RouteRefresh,
            BgpCapability.FourOctetAs(autonomousSystem),
        ]);

    /// <summary>The 4-octet AS capability's value when present (RFC 6793), else <see cref="MyAs"/>.</summary>
    public uint AutonomousSystem
    {
        get
        {
            foreach (BgpCapability c in Capabilities)
                if (c.Code == BgpCapability.FourOctetAsCode) return c.FourOctetAsNumber;
            return MyAs;
        }
    }

    /// <summary>Whether the peer announced the 4-octet AS capability (then AS_PATH carries 4-octet ASNs).</summary>
    public bool SupportsFourOctetAs => Capabilities.Any(c => c.Code == BgpCapability.FourOctetAsCode);

    /// <summary>Whether the peer announced route refresh (code 2; FRR also sends the old code 128).</summary>
    public bool SupportsRouteRefresh => Capabilities.Any(c => c.Code is BgpCapability.RouteRefreshCode or BgpCapability.RouteRefreshCiscoCode);

    /// <summary>Whether the peer announced multiprotocol for <paramref name="afi"/>/<paramref name="safi"/>.</summary>
    public bool SupportsFamily(ushort afi, byte safi) =>
        Capabilities.Any(c => c.Code == BgpCapability.MultiprotocolCode && c.MultiprotocolAfi == afi && c.MultiprotocolSafi == safi);
}
