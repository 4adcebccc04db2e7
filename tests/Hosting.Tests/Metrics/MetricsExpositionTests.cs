using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Replicator.Hosting.Metrics.Tests;

/// <summary>
/// What <c>/metrics</c> serves (OpenTelemetry's Prometheus exporter on our listener): both formats,
/// the names our dashboards and alerts use, and the exposition rules the exporter must keep.
/// </summary>
public class MetricsExpositionTests
{
    // What Prometheus 2.x sends: OpenMetrics first, the 0.0.4 text format as a fallback.
    private const string PrometheusAccept =
        "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1";

    [Fact]
    public async Task Metrics_TextFormat_SampleInstrumentsPassPromtoolWithNoFindings()
    {
        Promtool.EnsureInstalled();
        await using var host = await ObservabilityHost.StartAsync();
        Record(host.Metrics);

        using var response = await host.Client.GetAsync("metrics");
        string text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        Assert.Equal(42, Exposition.Value(text, "vxsnd_copies_sent_total"));
        Assert.Equal(3, Exposition.Value(text, "vxsnd_datagrams_dropped_total", "{reason=\"unknown_vni\"}"));
        Assert.Equal(12, Exposition.Value(text, "vxsnd_registry_entries", "{source=\"registered\"}"));
        Assert.Equal(4, Exposition.Value(text, "vxsnd_registry_vnis"));
        Assert.Equal(2.5, Exposition.Value(text, "vxrd_servicenode_contact_age_seconds"));
        Assert.Equal(1, Exposition.Value(text, "vxsnd_ready"));
        Assert.Contains("# TYPE vxsnd_copies_sent_total counter", Exposition.Lines(text));
        Assert.Contains("# TYPE vxsnd_replication_latency_seconds histogram", Exposition.Lines(text));
        Assert.Contains("# TYPE vxsnd_registry_entries gauge", Exposition.Lines(text));
        var check = Promtool.CheckMetrics(text);
        Assert.True(check.ExitCode == 0 && check.Output.Length == 0, $"promtool check metrics: exit {check.ExitCode}: {check.Output}\n--- exposition ---\n{text}");
    }

    [Fact]
    public async Task Metrics_PrometheusAcceptHeader_ServesOpenMetricsTheReferenceParserAccepts()
    {
        await using var host = await ObservabilityHost.StartAsync();
        Record(host.Metrics);
        using var request = new HttpRequestMessage(HttpMethod.Get, "metrics");
        request.Headers.TryAddWithoutValidation("Accept", PrometheusAccept);

        using var response = await host.Client.SendAsync(request);
        string text = await response.Content.ReadAsStringAsync();
        var parsed = OpenMetricsParser.Parse(text);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/openmetrics-text", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("# EOF", Exposition.Lines(text)[^1]);
        Assert.True(parsed.ExitCode == 0, $"OpenMetrics parser: exit {parsed.ExitCode}: {parsed.Stderr}\n--- exposition ---\n{text}");
        // OpenMetrics names the counter family without _total; its samples keep the Prometheus name.
        Assert.Contains("vxsnd_copies_sent counter - 2", parsed.Stdout.Split('\n'));
        Assert.Contains("vxsnd_replication_latency_seconds histogram seconds 24", parsed.Stdout.Split('\n'));
        Assert.Equal(42, Exposition.Value(text, "vxsnd_copies_sent_total"));
        Assert.Equal(1, Exposition.Value(text, "vxsnd_ready"));
    }

    [Fact]
    public async Task Metrics_NoAcceptHeader_IsTheTextFormat()
    {
        await using var host = await ObservabilityHost.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, "metrics");
        request.Headers.Accept.Clear();

        using var response = await host.Client.SendAsync(request);

        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain("# EOF", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Metrics_LabelValueWithQuoteBackslashNewline_IsEscaped()
    {
        Promtool.EnsureInstalled();
        await using var host = await ObservabilityHost.StartAsync();
        host.Metrics.Dropped.Add(1, new KeyValuePair<string, object?>("reason", "a\"b\\c\nd"));

        string text = await host.Client.GetStringAsync("metrics");

        Assert.Contains("vxsnd_datagrams_dropped_total{reason=\"a\\\"b\\\\c\\nd\"} 1", Exposition.Lines(text));
        Assert.Equal(0, Promtool.CheckMetrics(text).ExitCode);
    }

    [Fact]
    public async Task Metrics_Histogram_BucketsCumulativeWithInfSumAndCount()
    {
        await using var host = await ObservabilityHost.StartAsync();
        foreach (int size in new[] { 1, 3, 3, 40, 100 })
        {
            host.Metrics.BatchSize.Record(size, new KeyValuePair<string, object?>("direction", "receive"));
        }

        string text = await host.Client.GetStringAsync("metrics");

        // Advice bounds 1, 2, 4 ... 64: the SDK counts per bucket, the exposition is cumulative and ends at +Inf.
        Assert.Equal(
            [1, 1, 3, 3, 3, 3, 4, 5],
            Exposition.Series(text, "vxsnd_batch_size_bucket").Select(s => s.Value));
        Assert.EndsWith("le=\"+Inf\"}", Exposition.Series(text, "vxsnd_batch_size_bucket")[^1].Key);
        Assert.StartsWith("{direction=\"receive\",le=", Exposition.Series(text, "vxsnd_batch_size_bucket")[0].Key);
        Assert.Equal(147, Exposition.Value(text, "vxsnd_batch_size_sum", "{direction=\"receive\"}"));
        Assert.Equal(5, Exposition.Value(text, "vxsnd_batch_size_count", "{direction=\"receive\"}"));
    }

    [Fact]
    public async Task Metrics_SecondsHistogramWithoutAdvice_GetsMicrosecondBuckets()
    {
        await using var host = await ObservabilityHost.StartAsync();
        host.Metrics.Latency.Record(0.00002);

        string text = await host.Client.GetStringAsync("metrics");
        var buckets = Exposition.Series(text, "vxsnd_replication_latency_seconds_bucket");

        // 5 us ... 10 s (SecondsHistogramView) and +Inf; 20 us lands in the third, at 25 us.
        Assert.Equal(SecondsHistogramView.Boundaries.Length + 1, buckets.Count);
        Assert.Equal([0, 0, 1], buckets.Take(3).Select(b => b.Value));
        Assert.Equal(SecondsHistogramView.Boundaries[2], double.Parse(buckets[2].Key[5..^2], System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Metrics_CounterIncrementsBetweenScrapes_IsCumulative()
    {
        await using var host = await ObservabilityHost.StartAsync();
        host.Metrics.CopiesSent.Add(2);
        await host.Client.GetStringAsync("metrics");
        host.Metrics.CopiesSent.Add(3);

        string text = await host.Client.GetStringAsync("metrics");

        Assert.Equal(5, Exposition.Value(text, "vxsnd_copies_sent_total"));
    }

    [Fact]
    public async Task Metrics_Default_NoScopeLabelsNoTargetInfo()
    {
        await using var host = await ObservabilityHost.StartAsync();
        host.Metrics.CopiesSent.Add(1);

        string text = await host.Client.GetStringAsync("metrics");

        Assert.DoesNotContain("otel_scope_", text);
        Assert.DoesNotContain("target_info", text);
    }

    [Fact]
    public async Task Metrics_ScopeLabelsAndTargetInfoConfigured_Served()
    {
        Promtool.EnsureInstalled();
        await using var host = await ObservabilityHost.StartAsync(o =>
        {
            o.MetricsScopeLabels = true;
            o.MetricsTargetInfo = true;
        });
        host.Metrics.CopiesSent.Add(1);

        string text = await host.Client.GetStringAsync("metrics");

        Assert.Equal(1, Exposition.Value(text, "vxsnd_copies_sent_total", labels: null));
        Assert.Contains(Exposition.Series(text, "vxsnd_copies_sent_total"), s => s.Key.Contains($"otel_scope_name=\"{ObservabilityHost.SampleMetrics.MeterName}\"", StringComparison.Ordinal));
        Assert.Contains(Exposition.Series(text, "target_info"), s => s.Key.Contains("service_name=\"vxsnd\"", StringComparison.Ordinal));
        var check = Promtool.CheckMetrics(text);
        Assert.True(check.ExitCode == 0, $"promtool: exit {check.ExitCode}: {check.Output}\n{text}");
    }

    [Fact]
    public async Task AddObservabilityFromConfiguration_ScopeLabelsAndTargetInfoKeys_TurnThemOn()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ServiceNode:Metrics:Endpoint"] = "127.0.0.1:0",
            ["ServiceNode:Metrics:ScopeLabels"] = "true",
            ["ServiceNode:Metrics:TargetInfo"] = "true",
        });
        builder.AddObservabilityFromConfiguration("vxsnd", "ServiceNode", []);
        using var host = builder.Build();
        await host.StartAsync();
        var options = host.Services.GetRequiredService<ObservabilityOptions>();
        using var client = new HttpClient { BaseAddress = new Uri($"http://{host.Services.GetRequiredService<ObservabilityServer>().BoundEndpoint}/") };

        string text = await client.GetStringAsync("metrics");

        Assert.True(options.MetricsScopeLabels && options.MetricsTargetInfo);
        Assert.Contains("target_info", text);
        Assert.Contains("otel_scope_name=\"Replicator.Hosting.Health\"", text);
        await host.StopAsync();
    }

    private static void Record(ObservabilityHost.SampleMetrics m)
    {
        m.CopiesSent.Add(42);
        m.Dropped.Add(3, new KeyValuePair<string, object?>("reason", "unknown_vni"));
        m.Dropped.Add(1, new KeyValuePair<string, object?>("reason", "malformed"));
        m.Latency.Record(0.000012);
        m.Latency.Record(0.0004);
        m.BatchSize.Record(32, new KeyValuePair<string, object?>("direction", "receive"));
        m.BatchSize.Record(7, new KeyValuePair<string, object?>("direction", "send"));
        m.Entries.Add(12, new KeyValuePair<string, object?>("source", "registered"));
        m.Entries.Add(2, new KeyValuePair<string, object?>("source", "static"));
        m.Vnis = 4;
    }
}
