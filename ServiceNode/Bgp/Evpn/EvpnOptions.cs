namespace Replicator.ServiceNode.Bgp.Evpn;

/// <summary>
/// The bridge between the registry and EVPN type-3 routes, configuration section <c>ServiceNode:Bgp:Evpn</c>.
/// Used only when <c>ServiceNode:Bgp:Enabled</c> is true. Read once at start: a different route
/// distinguisher or route target would have to withdraw and re-announce every route.
/// </summary>
internal sealed class EvpnOptions
{
    public const string SectionName = "ServiceNode:Bgp:Evpn";

    /// <summary>Announce every registered, relayed and static entry as a type-3 route. Default true.</summary>
    public bool Export { get; set; } = true;

    /// <summary>Turn type-3 routes received from the peers into registry entries with source <c>evpn</c>. Default true.</summary>
    public bool Import { get; set; } = true;

    /// <summary>
    /// Route distinguisher of exported routes, <c>ADMIN:{vni}</c>: ADMIN is <c>{vtep}</c> (type 1, the VTEP's
    /// IPv4 address; an IPv6 VTEP gets the <c>{as}</c> form), <c>{as}</c> (the local AS: type 0 with the whole
    /// VNI, or type 2 with its low 16 bits for a 4-octet AS) or an IPv4 address (type 1). In the 2-octet
    /// number of type 1 and 2 the VNI's low 16 bits are used. Default <c>{vtep}:{vni}</c>.
    /// </summary>
    public string RouteDistinguisher { get; set; } = "{vtep}:{vni}";

    /// <summary>
    /// Route target of exported routes, <c>ADMIN:NUMBER</c>: ADMIN is <c>{as}</c>, an AS number or an IPv4
    /// address; NUMBER is <c>{vni}</c> or a number. Default <c>{as}:{vni}</c>, what FRR derives by default
    /// (2-octet AS form; the 4-octet form with the VNI's low 16 bits when the AS does not fit in 2 octets).
    /// </summary>
    public string RouteTarget { get; set; } = "{as}:{vni}";

    /// <summary>
    /// Received routes are imported when they carry one of these route targets (same syntax as
    /// <see cref="RouteTarget"/>; <c>{vni}</c> stands for the route's own VNI, its PMSI label), or any
    /// route with <c>*</c>. Default <c>{as}:{vni}</c>, as FRR's default import.
    /// </summary>
    public List<string> ImportRouteTargets { get; set; } = ["{as}:{vni}"];

    /// <summary>
    /// How long routes of a peer whose session went down stay in the registry, waiting to be announced again
    /// (End-of-RIB from the peer ends the wait early). Default 180 s: twice the 90 s hold time, one to notice
    /// and reconnect, one for the peer to send its table again; EVPN VTEPs themselves keep flooding to a lost
    /// peer's VTEPs for their own hold time, so the registry does not hold them much longer than the fabric.
    /// </summary>
    public TimeSpan GraceTime { get; set; } = TimeSpan.FromSeconds(180);
}
