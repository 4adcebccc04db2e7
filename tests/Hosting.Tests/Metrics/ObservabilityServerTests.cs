using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Replicator.Hosting.Configuration;
using Replicator.Hosting.Health;
using Replicator.Hosting.Metrics.Prometheus;

namespace Replicator.Hosting.Metrics.Tests;

public class ObservabilityServerTests
{
    [Fact]
    public async Task Metrics_ScrapeOverHttpWithSampleInstruments_PassesPromtoolWithNoFindings()
    {
        Promtool.EnsureInstalled();
        await using var host = await ObservabilityHost.StartAsync();
        var m = host.Metrics;
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

        using var response = await host.Client.GetAsync("metrics");
        string text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        Assert.Contains("vxsnd_copies_sent_total 42\n", text);
        Assert.Contains("vxsnd_datagrams_dropped_total{reason=\"unknown_vni\"} 3\n", text);
        Assert.Contains("vxsnd_replication_latency_seconds_bucket{le=\"2.5e-05\"} 1\n", text);
        Assert.Contains("vxsnd_batch_size_bucket{direction=\"receive\",le=\"32\"} 1\n", text);
        Assert.Contains("vxsnd_registry_entries{source=\"registered\"} 12\n", text);
        Assert.Contains("vxsnd_registry_vnis 4\n", text);
        Assert.Contains("vxrd_servicenode_contact_age_seconds 2.5\n", text);
        Assert.Contains("# TYPE vxsnd_ready gauge\nvxsnd_ready 1\n", text);
        var check = Promtool.CheckMetrics(text);
        Assert.True(check.ExitCode == 0 && check.Output.Length == 0, $"promtool check metrics: exit {check.ExitCode}: {check.Output}\n--- exposition ---\n{text}");
    }

    [Fact]
    public async Task Metrics_EmptyRegistry_StillPassesPromtool()
    {
        await using var host = await ObservabilityHost.StartAsync();

        string text = await host.Client.GetStringAsync("metrics");

        var check = Promtool.CheckMetrics(text);
        Assert.True(check.ExitCode == 0 && check.Output.Length == 0, $"promtool: exit {check.ExitCode}: {check.Output}\n{text}");
    }

    [Fact]
    public async Task Metrics_ConcurrentHttpScrapes_AllSucceed()
    {
        await using var host = await ObservabilityHost.StartAsync();
        host.Metrics.CopiesSent.Add(1);

        var bodies = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => host.Client.GetStringAsync("metrics")));

        Assert.All(bodies, b => Assert.Contains("vxsnd_copies_sent_total 1\n", b));
    }

    [Fact]
    public async Task Listener_UnknownPathOrMethod_404And405()
    {
        await using var host = await ObservabilityHost.StartAsync();

        using var missing = await host.Client.GetAsync("nothing");
        using var post = await host.Client.PostAsync("metrics", new StringContent(""));
        using var head = await host.Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "metrics"));

        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, post.StatusCode);
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
    }

    [Fact]
    public async Task AddObservability_EmptyMetricsEndpoint_NoListenerButScraperWorks()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.AddObservability("vxrd", ["Replicator.Tests.None"], metricsEndpoint: "", otlpEndpoint: null);
        using var host = builder.Build();
        await host.StartAsync();

        Assert.Null(host.Services.GetService<ObservabilityServer>());
        var text = System.Text.Encoding.UTF8.GetString((await host.Services.GetRequiredService<PrometheusScraper>().ScrapeAsync()).Span);
        Assert.Contains("vxrd_ready 1\n", text);
        await host.StopAsync();
    }

    [Fact]
    public async Task AddObservability_PortInUse_StartFailsNamingTheEndpoint()
    {
        await using var first = await ObservabilityHost.StartAsync();
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.AddObservability("vxsnd", [], metricsEndpoint: first.Endpoint.ToString(), otlpEndpoint: null);
        using var second = builder.Build();

        var e = await Assert.ThrowsAnyAsync<Exception>(() => second.StartAsync());

        Assert.Contains(first.Endpoint.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), e.ToString());
    }

    [Fact]
    public void AddObservability_InvalidSettings_ThrowsListingEveryError()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());

        var e = Assert.Throws<DaemonConfigurationException>(() => builder.AddObservability("vxsnd", [], metricsEndpoint: "nowhere", otlpEndpoint: "ftp://collector"));

        Assert.Contains("MetricsEndpoint: 'nowhere'", e.Message);
        Assert.Contains("OtlpEndpoint: 'ftp://collector'", e.Message);
    }

    [Fact]
    public void AddObservability_UnknownDaemonWithoutEndpoint_Throws()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());

        var e = Assert.Throws<DaemonConfigurationException>(() => builder.AddObservability("other", [], metricsEndpoint: null, otlpEndpoint: null));

        Assert.Contains("no default MetricsEndpoint for daemon 'other'", e.Message);
    }

    [Theory]
    [InlineData("vxsnd", "127.0.0.1:9501")]
    [InlineData("vxrd", "127.0.0.1:9502")]
    public void MetricsEndpointDefaults_ForDaemon_IsDocumentedPort(string daemon, string expected)
    {
        Assert.Equal(expected, MetricsEndpointDefaults.For(daemon));
    }

    [Fact]
    public async Task AddObservabilityFromConfiguration_ReadsSectionKeys()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["RegistrationDaemon:MetricsEndpoint"] = "127.0.0.1:0" });
        builder.AddObservabilityFromConfiguration("vxrd", "RegistrationDaemon", []);
        using var host = builder.Build();
        await host.StartAsync();

        var bound = host.Services.GetRequiredService<ObservabilityServer>().BoundEndpoint;

        Assert.NotNull(bound);
        Assert.NotEqual(0, bound!.Port);
        Assert.Equal(IPAddress.Loopback, bound.Address);
        await host.StopAsync();
    }

    [Fact]
    public async Task AddObservability_OtlpEndpointConfigured_HostStartsAndStops()
    {
        // 192.0.2.1 is a documentation address; the exporter never gets to send in this test.
        await using var host = await ObservabilityHost.StartAsync(o =>
        {
            o.OtlpEndpoint = "http://192.0.2.1:4317";
            o.OtlpExportInterval = TimeSpan.FromHours(1);
        });

        string text = await host.Client.GetStringAsync("metrics");

        Assert.Contains("vxsnd_ready", text);
    }

    [Fact]
    public async Task Readiness_ConditionRegisteredByComponent_ReflectedInReadyGauge()
    {
        await using var host = await ObservabilityHost.StartAsync();
        var readiness = host.Host.Services.GetRequiredService<ReadinessState>();
        var bound = readiness.Register("sockets bound");

        string before = await host.Client.GetStringAsync("metrics");
        bound.MarkMet();
        string after = await host.Client.GetStringAsync("metrics");

        Assert.Contains("vxsnd_ready 0\n", before);
        Assert.Contains("vxsnd_ready 1\n", after);
    }
}
