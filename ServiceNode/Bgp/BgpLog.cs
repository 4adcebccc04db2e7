using Microsoft.Extensions.Logging;

namespace Replicator.ServiceNode.Bgp;

internal static partial class BgpLog
{
    [LoggerMessage(EventId = ServiceNodeEventIds.BgpStarted, Level = LogLevel.Information,
        Message = "BGP speaker: AS {LocalAs}, router id {RouterId}, {Peers} peer(s), hold time {HoldTime} s, TCP-MD5 {Md5}")]
    public static partial void Started(ILogger logger, uint localAs, string routerId, int peers, int holdTime, string md5);

    [LoggerMessage(EventId = ServiceNodeEventIds.BgpEstablished, Level = LogLevel.Information,
        Message = "BGP session with {Peer} established (hold time {HoldTime} s, peer router id {PeerRouterId})")]
    public static partial void Established(ILogger logger, string peer, int holdTime, string peerRouterId);

    [LoggerMessage(EventId = ServiceNodeEventIds.BgpSessionClosed, Level = LogLevel.Warning,
        Message = "BGP session with {Peer} closed in state {State}: {Reason}")]
    public static partial void Closed(ILogger logger, string peer, BgpSessionState state, string reason);

    [LoggerMessage(EventId = ServiceNodeEventIds.BgpConnectFailed, Level = LogLevel.Debug,
        Message = "BGP connect to {Peer} failed: {Reason}; next attempt in {Delay}")]
    public static partial void ConnectFailed(ILogger logger, string peer, string reason, TimeSpan delay);

    [LoggerMessage(EventId = ServiceNodeEventIds.BgpRouteLimit, Level = LogLevel.Warning,
        Message = "BGP peer {Peer} sent more than {Limit} type-3 routes (ServiceNode:Bgp:MaxRoutesPerPeer): the excess is dropped")]
    public static partial void RouteLimit(ILogger logger, string peer, int limit);

    [LoggerMessage(EventId = ServiceNodeEventIds.BgpListenerFailed, Level = LogLevel.Error,
        Message = "A BGP route listener failed on a route from {Peer}")]
    public static partial void ListenerFailed(ILogger logger, Exception exception, string peer);

    [LoggerMessage(EventId = ServiceNodeEventIds.BgpTreatAsWithdraw, Level = LogLevel.Warning,
        Message = "BGP peer {Peer} sent an UPDATE with {Error}: its routes are taken as withdrawn (RFC 7606)")]
    public static partial void TreatAsWithdraw(ILogger logger, string peer, Protocol.Bgp.BgpDecodeError error);

    [LoggerMessage(EventId = ServiceNodeEventIds.BgpExportOverflow, Level = LogLevel.Warning,
        Message = "BGP peer {Peer} fell more than {Limit} export changes behind (ServiceNode:Bgp:MaxQueuedChangesPerPeer): "
            + "the queued changes were dropped and the peer resynchronised with the whole set ({Overflows} time(s) since the last message)")]
    public static partial void ExportOverflow(ILogger logger, string peer, int limit, int overflows);
}
