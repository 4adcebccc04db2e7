using System.Diagnostics.Metrics;
using Replicator.Protocol.Bgp;

namespace Replicator.ServiceNode.Bgp;

/// <summary>The speaker's instruments (docs/metrics.md, <c>vxsnd_bgp_*</c>); per-peer gauges read the sessions' own counters.</summary>
internal sealed class BgpMetrics
{
    public const string MeterName = "Replicator.ServiceNode.Bgp";

    private readonly Counter<long> _updatesReceived;
    private readonly Counter<long> _updatesSent;
    private readonly Counter<long> _notifications;
    private readonly Counter<long> _macIpRoutes;
    private readonly Counter<long> _decodeErrors;
    private readonly Counter<long> _routesDropped;
    private readonly Counter<long> _exportOverflows;
    private Func<IReadOnlyList<BgpSession>> _sessions = () => [];

    public BgpMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName);
        meter.CreateObservableGauge("vxsnd.bgp.session.state", () => Each(s => (long)s.State), "{state}",
            "Each configured peer's session state, numbered as RFC 4273's bgpPeerState: 1 idle, 2 connect, 3 active, 4 opensent, 5 openconfirm, 6 established.");
        meter.CreateObservableGauge("vxsnd.bgp.routes.received", () => Each(s => s.RoutesReceived), "{route}",
            "Type-3 routes held from each peer (passed on to the EVPN bridge).");
        meter.CreateObservableGauge("vxsnd.bgp.routes.advertised", () => Each(s => s.RoutesAdvertised), "{route}",
            "Type-3 routes announced to each established peer.");
        _updatesReceived = meter.CreateCounter<long>("vxsnd.bgp.updates.received", "{message}", "UPDATE messages received, per peer.");
        _updatesSent = meter.CreateCounter<long>("vxsnd.bgp.updates.sent", "{message}", "UPDATE messages sent, per peer.");
        _notifications = meter.CreateCounter<long>("vxsnd.bgp.notifications", "{message}",
            "NOTIFICATION messages by direction (sent, received) and error code (RFC 4271 §4.5 name).");
        _macIpRoutes = meter.CreateCounter<long>("vxsnd.bgp.routes.mac_ip", "{route}",
            "Type-2 (MAC/IP) routes seen in UPDATEs, announced or withdrawn, per peer: decoded and counted, not used.");
        _decodeErrors = meter.CreateCounter<long>("vxsnd.bgp.decode.errors", "{message}",
            "Received messages with an error, by error: the ones that reset the session and the UPDATEs taken as withdrawn (RFC 7606).");
        _routesDropped = meter.CreateCounter<long>("vxsnd.bgp.routes.dropped", "{route}",
            "Received type-3 routes not passed on, by reason: own (reflected back, or for a VTEP we announce), limit (MaxRoutesPerPeer), no_pmsi (no ingress-replication tunnel).");
        _exportOverflows = meter.CreateCounter<long>("vxsnd.bgp.export.overflows", "{event}",
            "Times a peer fell more than MaxQueuedChangesPerPeer export changes behind, per peer: the queued changes were dropped and the peer resynchronised with the whole set.");
    }

    /// <summary>Where the per-peer gauges read from (the speaker's sessions).</summary>
    public void Observe(Func<IReadOnlyList<BgpSession>> sessions) => _sessions = sessions;

    private IEnumerable<Measurement<long>> Each(Func<BgpSession, long> value) =>
        _sessions().Select(s => new Measurement<long>(value(s), new KeyValuePair<string, object?>("peer", s.PeerText)));

    public void UpdateReceived(BgpSession session) => _updatesReceived.Add(1, new KeyValuePair<string, object?>("peer", session.PeerText));

    public void UpdateSent(BgpSession session) => _updatesSent.Add(1, new KeyValuePair<string, object?>("peer", session.PeerText));

    public void Notification(bool sent, BgpErrorCode code) => _notifications.Add(1,
        new KeyValuePair<string, object?>("direction", sent ? "sent" : "received"), new KeyValuePair<string, object?>("code", CodeName(code)));

    public void MacIpRoutes(BgpSession session, int count)
    {
        if (count > 0) _macIpRoutes.Add(count, new KeyValuePair<string, object?>("peer", session.PeerText));
    }

    public void ExportOverflow(BgpSession session) => _exportOverflows.Add(1, new KeyValuePair<string, object?>("peer", session.PeerText));

    public void DecodeError(BgpDecodeError error) => _decodeErrors.Add(1, new KeyValuePair<string, object?>("error", error.ToString()));

    public void RoutesDropped(string reason, int count = 1) => _routesDropped.Add(count, new KeyValuePair<string, object?>("reason", reason));

    /// <summary>A bounded tag value: the RFC name of a known code, else "other".</summary>
    private static string CodeName(BgpErrorCode code) => Enum.IsDefined(code) ? code.ToString() : "other";
}
