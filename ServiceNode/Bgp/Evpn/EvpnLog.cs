using Microsoft.Extensions.Logging;

namespace Replicator.ServiceNode.Bgp.Evpn;

/// <summary>The EVPN bridge's log messages (event ids 2500-2549).</summary>
internal static partial class EvpnLog
{
    [LoggerMessage(EventId = ServiceNodeEventIds.EvpnBridgeStarted, Level = LogLevel.Information,
        Message = "EVPN bridge started: export {Export}, import {Import}, local AS {LocalAs}")]
    public static partial void Started(ILogger logger, bool export, bool import, uint localAs);

    [LoggerMessage(EventId = ServiceNodeEventIds.EvpnRouteDropped, Level = LogLevel.Warning,
        Message = "EVPN route from {Peer} for VNI {Vni}, VTEP {Vtep} not imported: {Reason}")]
    public static partial void RouteDropped(ILogger logger, string peer, uint vni, string vtep, string reason);

    [LoggerMessage(EventId = ServiceNodeEventIds.EvpnRouteFiltered, Level = LogLevel.Debug,
        Message = "EVPN route from {Peer} for VNI {Vni} not imported: no imported route target")]
    public static partial void RouteFiltered(ILogger logger, string peer, uint vni);

    [LoggerMessage(EventId = ServiceNodeEventIds.EvpnSessionLost, Level = LogLevel.Information,
        Message = "BGP session with {Peer} lost: its {Count} EVPN routes are kept for {Grace} unless announced again")]
    public static partial void SessionLost(ILogger logger, string peer, int count, TimeSpan grace);

    [LoggerMessage(EventId = ServiceNodeEventIds.EvpnStaleRemoved, Level = LogLevel.Information,
        Message = "{Count} stale EVPN routes of {Peer} removed ({Why})")]
    public static partial void StaleRemoved(ILogger logger, int count, string peer, string why);

    [LoggerMessage(EventId = ServiceNodeEventIds.EvpnRouteDistinguisherCollision, Level = LogLevel.Warning,
        Message = "VNI {Vni} of VTEP {Vtep} is not exported while VNI {Holder} holds the same route distinguisher (their low 16 bits are equal); use RouteDistinguisher {{as}}:{{vni}} for VNIs above 65535")]
    public static partial void RouteDistinguisherCollision(ILogger logger, uint vni, string vtep, uint holder);
}
