using System.Text.RegularExpressions;

namespace Replicator.Hosting.Deploy.Tests;

/// <summary>
/// The Prometheus names of both daemons' instruments (docs/metrics.md's list, histograms as their three series;
/// MetricsReferenceTests keeps the two equal), so alerts and dashboards cannot reference a metric that does not exist.
/// </summary>
internal static partial class KnownMetrics
{
    public static readonly HashSet<string> Names =
    [
        "vxsnd_datagrams_received_total", "vxsnd_copies_sent_total", "vxsnd_send_errors_total",
        "vxsnd_datagrams_dropped_total", "vxsnd_batch_size_bucket", "vxsnd_batch_size_sum", "vxsnd_batch_size_count",
        "vxsnd_replication_latency_seconds_bucket", "vxsnd_replication_latency_seconds_sum", "vxsnd_replication_latency_seconds_count",
        "vxsnd_dataplane_copies_total", "vxsnd_dataplane_fallbacks_total",
        "vxsnd_registry_entries", "vxsnd_registry_vnis", "vxsnd_registry_addresses_refused_total", "vxsnd_registrations_received_total", "vxsnd_peerlists_pushed_total",
        "vxsnd_control_dropped_total", "vxsnd_ready", "vxsnd_authentication_enabled", "vxsnd_socket_drops_total",
        "vxsnd_control_budget_withheld_total", "vxsnd_control_budget_withheld_bytes_total", "vxsnd_control_cookie_lists_total",
        "vxsnd_control_cookies_total", "vxsnd_registrations_relayed_total", "vxsnd_peers_reachable",
        "vxsnd_dataplane_nexthops", "vxsnd_dataplane_nexthop_resolutions_total", "vxsnd_dataplane_nexthop_resyncs_total",
        "vxsnd_bgp_session_state", "vxsnd_bgp_routes_received", "vxsnd_bgp_routes_advertised", "vxsnd_bgp_updates_received_total",
        "vxsnd_bgp_updates_sent_total", "vxsnd_bgp_notifications_total", "vxsnd_bgp_routes_mac_ip_total", "vxsnd_bgp_decode_errors_total",
        "vxsnd_bgp_routes_dropped_total", "vxsnd_bgp_export_overflows_total",
        "vxsnd_bgp_evpn_routes_exported", "vxsnd_bgp_evpn_routes_imported", "vxsnd_bgp_evpn_import_dropped_total", "vxsnd_bgp_evpn_import_stale_removed_total",
        "vxrd_devices_managed", "vxrd_registrations_sent_total", "vxrd_peerlists_received_total", "vxrd_fdb_operations_total",
        "vxrd_reconcile_runs_total", "vxrd_drift_repaired_total", "vxrd_servicenode_reachable",
        "vxrd_servicenode_contact_age_seconds", "vxrd_control_dropped_total", "vxrd_ready", "vxrd_authentication_enabled", "vxrd_socket_drops_total",
        "vxrd_peers_refused_total", "vxrd_peerlists_refused_total",
        "vxsnd_peerlists_sent_total", "vxsnd_peerlists_sent_bytes_total", "vxsnd_peerlists_paced_total", "vxsnd_peerlists_push_dropped_total",
        "vxrd_peerlists_deltas_total", "vxrd_peerlists_resyncs_total",
        "vxrd_peerlists_incomplete_total",
        "vxsnd_peerlists_incomplete_total",
        "up",
    ];

    /// <summary>Identifiers in a PromQL expression that look like our metric names (or up).</summary>
    public static IEnumerable<string> Referenced(string expr) =>
        MetricToken().Matches(expr).Select(m => m.Value).Distinct();

    [GeneratedRegex(@"\b(?:vxsnd|vxrd)_[a-z_]+\b|\bup\b")]
    private static partial Regex MetricToken();
}
