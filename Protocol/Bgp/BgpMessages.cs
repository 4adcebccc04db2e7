using System.Net;

namespace Replicator.Protocol.Bgp;

/// <summary>The EVPN UPDATEs a speaker sends, built the way FRR builds them.</summary>
public static class BgpMessages
{
    /// <summary>
    /// A type-3 route as FRR announces it to its route reflector: MP_REACH (next hop = the VTEP),
    /// ORIGIN IGP, empty AS_PATH (iBGP), LOCAL_PREF 100, the route targets and the VXLAN
    /// encapsulation community, PMSI ingress replication with the VNI as label (RFC 8365).
    /// </summary>
    public static BgpUpdateMessage AnnounceInclusiveMulticast(
        EvpnInclusiveMulticastRoute route, IPAddress nextHop, uint vni, IPAddress tunnelEndpoint, IReadOnlyList<ulong> routeTargets) => new()
        {
            MpReach = new MpReachNlri(BgpConstants.AfiL2Vpn, BgpConstants.SafiEvpn, nextHop, [route], 0),
            Origin = BgpOrigin.Igp,
            AsPath = [],
            LocalPreference = 100,
            ExtendedCommunities = [BgpExtendedCommunities.VxlanEncapsulation, .. routeTargets],
            PmsiTunnel = new PmsiTunnel(0, PmsiTunnel.IngressReplication, vni, tunnelEndpoint),
        };

    /// <summary>Withdraws EVPN routes (as many as fit; the caller splits long lists).</summary>
    public static BgpUpdateMessage Withdraw(IReadOnlyList<EvpnRoute> routes) =>
        new() { MpUnreach = new MpUnreachNlri(BgpConstants.AfiL2Vpn, BgpConstants.SafiEvpn, routes, 0) };

    /// <summary>The L2VPN/EVPN End-of-RIB (RFC 4724 §2): an empty MP_UNREACH_NLRI for 25/70.</summary>
    public static BgpUpdateMessage EvpnEndOfRib { get; } = Withdraw([]);

    /// <summary>Asks the peer to send its L2VPN/EVPN routes again (RFC 2918).</summary>
    public static BgpRouteRefreshMessage EvpnRouteRefresh { get; } = new(BgpConstants.AfiL2Vpn, BgpConstants.SafiEvpn);
}
