using System.Diagnostics.Metrics;

namespace Replicator.ServiceNode.Bgp.Evpn;

/// <summary>The EVPN bridge's instruments: routes exported and imported (gauges), import drops by reason.</summary>
internal sealed class EvpnMetrics
{
    public const string MeterName = "Replicator.ServiceNode.Bgp.Evpn";

    private readonly Counter<long> _dropped;
    private readonly Counter<long> _staleRemoved;
    private Func<int> _exported = static () => 0;
    private Func<int> _imported = static () => 0;

    public EvpnMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName);
        meter.CreateObservableGauge("vxsnd.bgp.evpn.routes.exported", () => _exported(), "{route}",
            "Type-3 routes in the speaker's exported set: one per registered, relayed or static entry.");
        meter.CreateObservableGauge("vxsnd.bgp.evpn.routes.imported", () => _imported(), "{route}",
            "Type-3 routes received and holding a registry entry, summed over the peers (stale ones included).");
        _dropped = meter.CreateCounter<long>("vxsnd.bgp.evpn.import.dropped", "{route}",
            "Received type-3 routes that did not become registry entries, by reason (filtered, invalid_vni, address, too_many_members, too_many_entries).");
        _staleRemoved = meter.CreateCounter<long>("vxsnd.bgp.evpn.import.stale_removed", "{route}",
            "Routes of a lost session removed because the peer did not announce them again within the grace time or before its End-of-RIB.");
    }

    /// <summary>Connects the gauges to the exporter and the import table (called once by the bridge).</summary>
    public void Observe(Func<int> exported, Func<int> imported)
    {
        _exported = exported ?? throw new ArgumentNullException(nameof(exported));
        _imported = imported ?? throw new ArgumentNullException(nameof(imported));
    }

    public void Dropped(EvpnImportDropReason reason)
    {
        if (_dropped.Enabled) _dropped.Add(1, new KeyValuePair<string, object?>("reason", reason.Tag()));
    }

    public void StaleRemoved(int count)
    {
        if (count > 0) _staleRemoved.Add(count);
    }
}
