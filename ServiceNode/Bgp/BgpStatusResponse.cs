namespace Replicator.ServiceNode.Bgp;

/// <summary><c>GET /bgp</c>: whether the speaker runs, what it exports, one row per configured peer.</summary>
internal sealed record BgpStatusResponse(bool Enabled, uint LocalAs, string? RouterId, int ExportedRoutes, List<BgpSessionResponse> Sessions);

/// <summary>One session as <c>vxsnd bgp</c> shows it.</summary>
internal sealed record BgpSessionResponse(
    string Peer,
    string State,
    DateTimeOffset? EstablishedSince,
    double? UptimeSeconds,
    long RoutesReceived,
    long RoutesAdvertised,
    long UpdatesReceived,
    long UpdatesSent,
    long MacIpRoutesSeen,
    string? LastError);
