using Microsoft.Extensions.Logging;
using Replicator.ServiceNode.Registry;

namespace Replicator.ServiceNode.Bgp.Evpn;

/// <summary>
/// What the BGP sessions receive, carried onto the registry loop: the speaker calls these on its own loop, and
/// each becomes one work item (<see cref="IRegistryWriter.Post"/>) that changes the <see cref="EvpnImportTable"/>
/// and the registry there, so nothing here takes a lock or blocks the speaker. The grace timers of lost
/// sessions are created and fired on the loop too.
/// </summary>
internal sealed class EvpnBridge : IBgpRouteListener
{
    private readonly EvpnImportTable _table;
    private readonly Func<IRegistryWriter> _writer;
    private readonly EvpnMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly TimeSpan _grace;
    private readonly bool _import;
    private readonly ILogger _logger;
    // Loop only. A timer that fires after the loop stopped posts nothing (Post fails): no disposal needed at shutdown.
    private readonly Dictionary<BgpPeerId, ITimer> _graceTimers = [];

    /// <param name="writer">Resolved on first use: the registry loop depends (through the exporter and the speaker) on this bridge.</param>
    public EvpnBridge(EvpnImportTable table, Func<IRegistryWriter> writer, EvpnMetrics metrics, TimeProvider time, TimeSpan grace, bool import,
        ILogger<EvpnBridge> logger)
    {
        _table = table ?? throw new ArgumentNullException(nameof(table));
        _writer = writer ?? throw new ArgumentNullException(nameof(writer));
        _metrics = metrics ?? throw new ArgumentNullException(nameof(metrics));
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        _grace = grace;
        _import = import;
    }

    public void OnSessionEstablished(BgpPeerId peer)
    {
        // Nothing to do: the routes of an earlier session stay stale until announced again or End-of-RIB.
    }

    public void OnSessionLost(BgpPeerId peer)
    {
        if (!_import) return;
        Post(r =>
        {
            int generation = _table.MarkStale(peer);
            if (!_table.HasStale(peer)) return;
            EvpnLog.SessionLost(_logger, peer.ToString(), _table.RouteCountOf(peer), _grace);
            StopGrace(peer);
            _graceTimers[peer] = _time.CreateTimer(static state =>
            {
                var (bridge, peer, generation) = ((EvpnBridge, BgpPeerId, int))state!;
                bridge.Post(r => bridge.GraceEnded(r, peer, generation));
            }, (this, peer, generation), _grace, Timeout.InfiniteTimeSpan);
        });
    }

    public void OnMulticastRoute(BgpPeerId peer, EvpnMulticastRoute route)
    {
        ArgumentNullException.ThrowIfNull(route);
        if (!_import) return;
        Post(r =>
        {
            if (_table.Accept(r, peer, route) is not { } reason) return;
            _metrics.Dropped(reason);
            if (reason == EvpnImportDropReason.Filtered) EvpnLog.RouteFiltered(_logger, peer.ToString(), route.Vni);
            else EvpnLog.RouteDropped(_logger, peer.ToString(), route.Vni, route.TunnelEndpoint.ToString(), reason.Tag());
        });
    }

    public void OnMulticastRouteWithdrawn(BgpPeerId peer, EvpnMulticastRouteKey key)
    {
        if (!_import) return;
        Post(r => _table.Withdraw(r, peer, key));
    }

    public void OnEndOfRib(BgpPeerId peer)
    {
        if (!_import) return;
        Post(r =>
        {
            StopGrace(peer);
            Removed(peer, _table.RemoveStale(r, peer), "End-of-RIB");
        });
    }

    private void GraceEnded(Registry.Registry registry, BgpPeerId peer, int generation)
    {
        Removed(peer, _table.RemoveStale(registry, peer, generation), "grace time over");
        if (!_table.HasStale(peer)) StopGrace(peer);
    }

    private void Removed(BgpPeerId peer, int count, string why)
    {
        if (count == 0) return;
        _metrics.StaleRemoved(count);
        EvpnLog.StaleRemoved(_logger, count, peer.ToString(), why);
    }

    private void StopGrace(BgpPeerId peer)
    {
        if (_graceTimers.Remove(peer, out var timer)) timer.Dispose();
    }

    private void Post(Action<Registry.Registry> work) => _writer().Post(work);
}
