using System.Globalization;
using System.Text;

namespace Replicator.TestSupport.Bgp;

/// <summary>
/// bgpd configurations for the tests and the lab, the same as docs/evpn.md shows: iBGP in one AS,
/// L2VPN/EVPN only, FRR's "datacenter" defaults (keepalive 3 s, hold 9 s, no advertisement delay).
/// </summary>
public static class FrrConfig
{
    /// <summary>
    /// A route reflector (bgpd alone, <c>-Z</c>) that accepts any client of <paramref name="asn"/>
    /// from <paramref name="listenRange"/> without configuring it, and reflects EVPN routes to all.
    /// </summary>
    public static string RouteReflector(string routerId, uint asn, string listenRange) => string.Create(CultureInfo.InvariantCulture, $"""
        frr defaults datacenter
        log timestamp precision 3
        router bgp {asn}
         bgp router-id {routerId}
         bgp cluster-id {routerId}
         no bgp default ipv4-unicast
         bgp log-neighbor-changes
         coalesce-time 50
         neighbor fabric peer-group
         neighbor fabric remote-as {asn}
         bgp listen range {listenRange} peer-group fabric
         address-family l2vpn evpn
          neighbor fabric activate
          neighbor fabric route-reflector-client
         exit-address-family

        """);

    /// <summary>
    /// An EVPN VTEP (bgpd with zebra): a client of every route reflector in
    /// <paramref name="reflectors"/>, announcing every VNI zebra finds (<c>advertise-all-vni</c>),
    /// updates batched for <paramref name="coalesceMilliseconds"/> (FRR's default is 1,000).
    /// </summary>
    public static string Vtep(string routerId, uint asn, IEnumerable<string> reflectors, int coalesceMilliseconds = 50)
    {
        ArgumentNullException.ThrowIfNull(reflectors);
        var neighbors = new StringBuilder();
        var activate = new StringBuilder();
        foreach (string rr in reflectors)
        {
            neighbors.Append(CultureInfo.InvariantCulture, $" neighbor {rr} remote-as {asn}\n");
            activate.Append(CultureInfo.InvariantCulture, $"  neighbor {rr} activate\n");
        }
        return string.Create(CultureInfo.InvariantCulture, $"""
            frr defaults datacenter
            log timestamp precision 3
            router bgp {asn}
             bgp router-id {routerId}
             no bgp default ipv4-unicast
             bgp log-neighbor-changes
             coalesce-time {coalesceMilliseconds}
            {neighbors} address-family l2vpn evpn
            {activate}  advertise-all-vni
             exit-address-family

            """);
    }
}
