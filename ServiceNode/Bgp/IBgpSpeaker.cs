namespace Replicator.ServiceNode.Bgp;

/// <summary>
/// The BGP speaker as the EVPN bridge sees it: a set of routes to announce to every established
/// session (the speaker sends each new session the whole set, then only changes), and a listener
/// told about what the sessions receive. Thread-safe; calls return without waiting for the network.
/// </summary>
internal interface IBgpSpeaker
{
    /// <summary>Adds or replaces (same key) a route in the exported set.</summary>
    void Announce(EvpnMulticastRoute route);

    /// <summary>Removes a route from the exported set; no-op when it is not there.</summary>
    void Withdraw(EvpnMulticastRouteKey key);

    /// <summary>One line per configured peer, for <c>vxsnd bgp</c> and the metrics.</summary>
    IReadOnlyList<BgpSessionStatus> Sessions { get; }

    /// <summary>The local AS (<c>ServiceNode:Bgp</c>): the EVPN bridge derives route targets (<c>AS:VNI</c>) from it.</summary>
    uint LocalAs { get; }
}

/// <summary>What the sessions report, called on the speaker's own loop; implementations must not block.</summary>
internal interface IBgpRouteListener
{
    /// <summary>A session reached Established.</summary>
    void OnSessionEstablished(BgpPeerId peer);

    /// <summary>A session left Established: every route learned from it is now stale (the bridge applies its grace time).</summary>
    void OnSessionLost(BgpPeerId peer);

    /// <summary>A type-3 route was received (new or replaced). Routes we originated ourselves or reflected back to us are already dropped.</summary>
    void OnMulticastRoute(BgpPeerId peer, EvpnMulticastRoute route);

    /// <summary>A type-3 route was withdrawn by the peer.</summary>
    void OnMulticastRouteWithdrawn(BgpPeerId peer, EvpnMulticastRouteKey key);

    /// <summary>The peer sent End-of-RIB for L2VPN/EVPN: the initial table is complete (stale routes not re-announced can go).</summary>
    void OnEndOfRib(BgpPeerId peer);
}

/// <summary>A configured peer: its address (and port, 179 unless a test says otherwise).</summary>
internal readonly record struct BgpPeerId(System.Net.IPEndPoint EndPoint)
{
    public override string ToString() => EndPoint.ToString();
}

/// <summary>A session's state for status and metrics.</summary>
internal sealed record BgpSessionStatus(
    BgpPeerId Peer,
    string State,
    DateTimeOffset? EstablishedSince,
    long RoutesReceived,
    long RoutesAdvertised,
    long UpdatesReceived,
    long UpdatesSent,
    string? LastError);
