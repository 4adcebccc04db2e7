using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Replicator.Hosting.Configuration;
using Replicator.Hosting.Health;

namespace Replicator.Hosting.Metrics.Tests;

public class ObservabilityServerTests
{
    [Fact]
    public async Task Metrics_ConcurrentHttpScrapes_AllSucceed()
    {
        await using var host = await ObservabilityHost.StartAsync();
        host.Metrics.CopiesSent.Add(1);

        var bodies = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => host.Client.GetStringAsync("metrics")));

        Assert.All(bodies, b => Assert.Equal(1, Exposition.Value(b, "vxsnd_copies_sent_total")));
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
    public async Task AddObservability_EmptyMetricsEndpoint_NoListenerButProviderBuilt()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.AddObservability("vxrd", ["Replicator.Tests.None"], metricsEndpoint: "", otlpEndpoint: null);
        using var host = builder.Build();
        await host.StartAsync();

        Assert.Null(host.Services.GetService<ObservabilityServer>());
        // Still built: OTLP export, when configured, reads the same provider.
        Assert.NotNull(host.Services.GetRequiredService<OpenTelemetry.Metrics.MeterProvider>());
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
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["RegistrationDaemon:Metrics:Endpoint"] = "127.0.0.1:0" });
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

        Assert.Equal(0, Exposition.Value(before, "vxsnd_ready"));
        Assert.Equal(1, Exposition.Value(after, "vxsnd_ready"));
    }
}
