using System.Diagnostics.Metrics;
using OpenTelemetry.Metrics;

namespace Replicator.Hosting.Metrics.Prometheus.Tests;

public class PrometheusSerializerTests
{
    [Fact]
    public async Task Write_CounterWithReasonTags_OneTotalSeriesPerReason()
    {
        using var f = new ScrapeFixture();
        var dropped = f.Meter.CreateCounter<long>("vxsnd.datagrams.dropped", "{datagram}", "Datagrams dropped, by reason.");
        dropped.Add(3, new KeyValuePair<string, object?>("reason", "unknown_vni"));
        dropped.Add(2, new KeyValuePair<string, object?>("reason", "too_short"));
        dropped.Add(1, new KeyValuePair<string, object?>("reason", "unknown_vni"));

        string text = await f.ScrapeAsync();

        Assert.Contains("# HELP vxsnd_datagrams_dropped_total Datagrams dropped, by reason.\n", text);
        Assert.Contains("# TYPE vxsnd_datagrams_dropped_total counter\n", text);
        Assert.Contains("vxsnd_datagrams_dropped_total{reason=\"unknown_vni\"} 4\n", text);
        Assert.Contains("vxsnd_datagrams_dropped_total{reason=\"too_short\"} 2\n", text);
    }

    [Fact]
    public async Task Write_LabelValueWithQuoteBackslashNewline_IsEscaped()
    {
        using var f = new ScrapeFixture();
        var c = f.Meter.CreateCounter<long>("esc.test");
        c.Add(1, new KeyValuePair<string, object?>("v", "a\"b\\c\nd"));

        string text = await f.ScrapeAsync();

        Assert.Contains("esc_test_total{v=\"a\\\"b\\\\c\\nd\"} 1\n", text);
    }

    [Fact]
    public async Task Write_HelpWithBackslashAndNewline_IsEscaped()
    {
        using var f = new ScrapeFixture();
        f.Meter.CreateCounter<long>("help.test", description: "line one\nback\\slash \"quoted\"").Add(1);

        string text = await f.ScrapeAsync();

        Assert.Contains("# HELP help_test_total line one\\nback\\\\slash \"quoted\"\n", text);
    }

    [Fact]
    public async Task Write_InstrumentWithoutDescription_HelpFallsBackToInstrumentName()
    {
        using var f = new ScrapeFixture();
        f.Meter.CreateCounter<long>("nodesc.count.x").Add(1);

        string text = await f.ScrapeAsync();

        Assert.Contains("# HELP nodesc_count_x_total nodesc.count.x\n", text);
    }

    [Fact]
    public async Task Write_Histogram_BucketsAreCumulativeWithInfSumAndCount()
    {
        using var f = new ScrapeFixture();
        var h = f.Meter.CreateHistogram<double>(
            "vxsnd.replication.latency", "s", "Receive-to-send latency.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.01, 0.1] });
        foreach (double v in new[] { 0.0005, 0.002, 0.003, 0.05, 7.0 })
        {
            h.Record(v);
        }

        string text = await f.ScrapeAsync();

        Assert.Contains("# TYPE vxsnd_replication_latency_seconds histogram\n", text);
        Assert.Contains(
            "vxsnd_replication_latency_seconds_bucket{le=\"0.001\"} 1\n" +
            "vxsnd_replication_latency_seconds_bucket{le=\"0.01\"} 3\n" +
            "vxsnd_replication_latency_seconds_bucket{le=\"0.1\"} 4\n" +
            "vxsnd_replication_latency_seconds_bucket{le=\"+Inf\"} 5\n" +
            "vxsnd_replication_latency_seconds_sum 7.0555\n" +
            "vxsnd_replication_latency_seconds_count 5\n",
            text);
    }

    [Fact]
    public async Task Write_HistogramWithTags_LeComesAfterTheTags()
    {
        using var f = new ScrapeFixture();
        var h = f.Meter.CreateHistogram<long>(
            "vxsnd.batch.size", "{datagram}", "Datagrams per batch.",
            advice: new InstrumentAdvice<long> { HistogramBucketBoundaries = [1, 8, 64] });
        h.Record(5, new KeyValuePair<string, object?>("direction", "receive"));

        string text = await f.ScrapeAsync();

        Assert.Contains("vxsnd_batch_size_bucket{direction=\"receive\",le=\"1\"} 0\n", text);
        Assert.Contains("vxsnd_batch_size_bucket{direction=\"receive\",le=\"8\"} 1\n", text);
        Assert.Contains("vxsnd_batch_size_bucket{direction=\"receive\",le=\"+Inf\"} 1\n", text);
        Assert.Contains("vxsnd_batch_size_sum{direction=\"receive\"} 5\n", text);
        Assert.Contains("vxsnd_batch_size_count{direction=\"receive\"} 1\n", text);
    }

    [Fact]
    public async Task Write_SecondsHistogramWithoutAdvice_GetsMicrosecondBuckets()
    {
        using var f = new ScrapeFixture(b => b.AddView(SecondsHistogramView.Select));
        f.Meter.CreateHistogram<double>("lat", "s").Record(0.00002);

        string text = await f.ScrapeAsync();

        Assert.Contains("lat_seconds_bucket{le=\"1e-05\"} 0\n", text);
        Assert.Contains("lat_seconds_bucket{le=\"2.5e-05\"} 1\n", text);
        Assert.Contains("lat_seconds_bucket{le=\"10\"} 1\n", text);
    }

    [Fact]
    public async Task Write_UpDownCounterAndGauges_AreGauges()
    {
        using var f = new ScrapeFixture();
        var entries = f.Meter.CreateUpDownCounter<long>("vxsnd.registry.entries", "{entry}", "Registry entries.");
        entries.Add(5, new KeyValuePair<string, object?>("source", "registered"));
        entries.Add(-2, new KeyValuePair<string, object?>("source", "registered"));
        f.Meter.CreateObservableGauge("vxrd.servicenode.contact.age", () => 1.5, "s", "Seconds since last contact.");
        f.Meter.CreateObservableGauge("vxrd.servicenode.reachable", () => 1, "1", "1 when reachable.");

        string text = await f.ScrapeAsync();

        Assert.Contains("# TYPE vxsnd_registry_entries gauge\nvxsnd_registry_entries{source=\"registered\"} 3\n", text);
        Assert.Contains("# TYPE vxrd_servicenode_contact_age_seconds gauge\nvxrd_servicenode_contact_age_seconds 1.5\n", text);
        Assert.Contains("# TYPE vxrd_servicenode_reachable gauge\nvxrd_servicenode_reachable 1\n", text);
    }

    [Fact]
    public async Task Write_SpecialDoubles_UsePrometheusSpelling()
    {
        using var f = new ScrapeFixture();
        f.Meter.CreateObservableGauge("g.nan", () => double.NaN);
        f.Meter.CreateObservableGauge("g.inf", () => double.PositiveInfinity);
        f.Meter.CreateObservableGauge("g.ninf", () => double.NegativeInfinity);
        f.Meter.CreateObservableGauge("g.small", () => 1e-7);

        string text = await f.ScrapeAsync();

        Assert.Contains("g_nan NaN\n", text);
        Assert.Contains("g_inf +Inf\n", text);
        Assert.Contains("g_ninf -Inf\n", text);
        Assert.Contains("g_small 1e-07\n", text);
    }

    [Fact]
    public async Task Write_TwoInstrumentsWithSameFamilyName_OneHelpAndTypeLine()
    {
        using var f = new ScrapeFixture();
        // "a.b" and "a_b" map to the same Prometheus name.
        f.Meter.CreateCounter<long>("a.b").Add(1, new KeyValuePair<string, object?>("k", "x"));
        f.Meter.CreateCounter<long>("a_b").Add(2, new KeyValuePair<string, object?>("k", "y"));

        string text = await f.ScrapeAsync();

        Assert.Single(text.Split('\n'), l => l == "# TYPE a_b_total counter");
        Assert.Contains("a_b_total{k=\"x\"} 1\n", text);
        Assert.Contains("a_b_total{k=\"y\"} 2\n", text);
    }

    [Fact]
    public async Task Write_SameNameDifferentType_SecondIsSkippedAndReported()
    {
        using var f = new ScrapeFixture();
        var skipped = new List<string>();
        f.Scraper.InstrumentSkipped += skipped.Add;
        f.Meter.CreateObservableGauge("clash.x", () => 1);
        f.Meter.CreateObservableGauge("clash_x", () => 2.5);
        f.Meter.CreateCounter<long>("clash.y").Add(1);
        f.Meter.CreateObservableGauge("clash_y_total", () => 1);

        string text = await f.ScrapeAsync();
        await f.ScrapeAsync();

        Assert.Single(text.Split('\n'), l => l.StartsWith("# TYPE clash_y_total", StringComparison.Ordinal));
        Assert.Equal(["clash_y_total"], skipped);
    }

    [Fact]
    public async Task Write_CounterIncrementsBetweenScrapes_IsCumulative()
    {
        using var f = new ScrapeFixture();
        var c = f.Meter.CreateCounter<long>("cum");
        c.Add(2);
        await f.ScrapeAsync();
        c.Add(3);

        string text = await f.ScrapeAsync();

        Assert.Contains("cum_total 5\n", text);
    }

    [Fact]
    public async Task Write_ExponentialHistogram_IsSkipped()
    {
        using var f = new ScrapeFixture(b => b.AddView("exp", new Base2ExponentialBucketHistogramConfiguration()));
        var skipped = new List<string>();
        f.Scraper.InstrumentSkipped += skipped.Add;
        f.Meter.CreateHistogram<double>("exp").Record(1);

        string text = await f.ScrapeAsync();

        Assert.DoesNotContain("exp", text);
        Assert.Equal(["exp"], skipped);
    }
}
