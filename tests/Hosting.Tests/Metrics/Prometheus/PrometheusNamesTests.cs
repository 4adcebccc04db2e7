using Replicator.Hosting.Metrics.Prometheus;

namespace Replicator.Hosting.Metrics.Prometheus.Tests;

public class PrometheusNamesTests
{
    [Theory]
    [InlineData("vxsnd.copies.sent", "{copy}", "Counter", "vxsnd_copies_sent_total")]
    [InlineData("vxsnd.datagrams.received", "{datagram}", "Counter", "vxsnd_datagrams_received_total")]
    [InlineData("vxsnd.replication.latency", "s", "Histogram", "vxsnd_replication_latency_seconds")]
    [InlineData("vxrd.servicenode.contact.age", "s", "Gauge", "vxrd_servicenode_contact_age_seconds")]
    [InlineData("vxrd.servicenode.reachable", "1", "Gauge", "vxrd_servicenode_reachable")]
    [InlineData("vxsnd.registry.entries", "{entry}", "Gauge", "vxsnd_registry_entries")]
    [InlineData("vxsnd.bytes.sent", "By", "Counter", "vxsnd_bytes_sent_bytes_total")]
    [InlineData("vxsnd.sent", "By", "Counter", "vxsnd_sent_bytes_total")]
    [InlineData("vxsnd.rate", "By/s", "Gauge", "vxsnd_rate_bytes_per_second")]
    [InlineData("vxsnd.load", "{datagram}/s", "Gauge", "vxsnd_load_per_second")]
    [InlineData("x.duration", "ms", "Histogram", "x_duration_milliseconds")]
    [InlineData("x.wait_seconds", "s", "Gauge", "x_wait_seconds")]
    [InlineData("x.errors.total", "", "Counter", "x_errors_total")]
    [InlineData("x.time.total", "s", "Counter", "x_time_seconds_total")]
    [InlineData("http-server:request..count", null, "Gauge", "http_server_request_count")]
    [InlineData("9lives", null, "Gauge", "_9lives")]
    public void MetricName_OpenTelemetryNameAndUnit_MapsToPrometheusConvention(string name, string? unit, string kind, string expected)
    {
        Assert.Equal(expected, PrometheusNames.MetricName(name, unit, Enum.Parse<PrometheusMetricKind>(kind)));
    }

    [Theory]
    [InlineData("reason", "reason")]
    [InlineData("net.peer.name", "net_peer_name")]
    [InlineData("1st", "_1st")]
    [InlineData("a-b c", "a_b_c")]
    public void LabelName_TagKey_IsSanitised(string key, string expected)
    {
        Assert.Equal(expected, PrometheusNames.LabelName(key));
    }

    [Theory]
    [InlineData("{datagram}", "")]
    [InlineData("{a}{b}", "")]
    [InlineData("s", "seconds")]
    [InlineData("By", "bytes")]
    [InlineData("KiBy", "kibibytes")]
    [InlineData("1", "")]
    [InlineData("1/s", "per_second")]
    [InlineData("{packet}/s", "per_second")]
    [InlineData("Cel", "celsius")]
    [InlineData("widgets", "widgets")]
    public void UnitSuffix_UcumUnit_IsBaseUnitWord(string unit, string expected)
    {
        Assert.Equal(expected, PrometheusNames.UnitSuffix(unit));
    }
}
