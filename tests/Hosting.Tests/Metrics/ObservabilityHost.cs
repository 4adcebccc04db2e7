using System.Diagnostics.Metrics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Replicator.Hosting.Metrics.Tests;

/// <summary>
/// A started generic host with AddObservability on 127.0.0.1:0 and a sample "vxsnd"-style
/// metrics class (counter with reason tags, gauge, histogram), plus an HTTP client for it.
/// </summary>
internal sealed class ObservabilityHost : IAsyncDisposable
{
    private ObservabilityHost(IHost host, HttpClient client, IPEndPoint endpoint)
    {
        Host = host;
        Client = client;
        Endpoint = endpoint;
    }

    public IHost Host { get; }

    public HttpClient Client { get; }

    public IPEndPoint Endpoint { get; }

    public SampleMetrics Metrics => Host.Services.GetRequiredService<SampleMetrics>();

    public static async Task<ObservabilityHost> StartAsync(Action<ObservabilityOptions>? configure = null, Action<IServiceCollection>? services = null)
    {
        var host = Build(configure, services);
        await host.StartAsync();
        return Attach(host);
    }

    /// <summary>Builds the host without starting it.</summary>
    public static IHost Build(Action<ObservabilityOptions>? configure = null, Action<IServiceCollection>? services = null)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddSingleton<SampleMetrics>();
        services?.Invoke(builder.Services);
        builder.AddObservability(o =>
        {
            o.DaemonName = "vxsnd";
            o.MetricsEndpoint = "127.0.0.1:0";
            o.SystemdNotify = false;
            o.MeterNames.Add(SampleMetrics.MeterName);
            configure?.Invoke(o);
        });
        var host = builder.Build();
        // Like a daemon feature would: the metrics class exists from the start.
        host.Services.GetRequiredService<SampleMetrics>();
        return host;
    }

    /// <summary>Wraps a started host and connects a client to its listener.</summary>
    public static ObservabilityHost Attach(IHost host)
    {
        var endpoint = host.Services.GetRequiredService<ObservabilityServer>().BoundEndpoint!;
        var client = new HttpClient { BaseAddress = new Uri($"http://{endpoint}/"), Timeout = TimeSpan.FromSeconds(30) };
        return new ObservabilityHost(host, client, endpoint);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Host.StopAsync();
        Host.Dispose();
    }

    /// <summary>Instruments shaped like vxsnd's: what promtool must accept.</summary>
    public sealed class SampleMetrics
    {
        public const string MeterName = "Replicator.Tests.Sample";

        public SampleMetrics(IMeterFactory factory)
        {
            var meter = factory.Create(MeterName);
            CopiesSent = meter.CreateCounter<long>("vxsnd.copies.sent", "{copy}", "Copies of BUM datagrams sent to VTEPs.");
            Dropped = meter.CreateCounter<long>("vxsnd.datagrams.dropped", "{datagram}", "Datagrams dropped, by reason.");
            Latency = meter.CreateHistogram<double>("vxsnd.replication.latency", "s", "Receive-to-send latency of a batch.");
            BatchSize = meter.CreateHistogram<int>(
                "vxsnd.batch.size", "{datagram}", "Datagrams per recvmmsg/sendmmsg batch.",
                advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = [1, 2, 4, 8, 16, 32, 64] });
            meter.CreateObservableGauge("vxsnd.registry.vnis", () => Vnis, "{vni}", "VNIs with at least one member.");
            Entries = meter.CreateUpDownCounter<long>("vxsnd.registry.entries", "{entry}", "Registry entries, by source.");
            meter.CreateObservableGauge("vxrd.servicenode.contact.age", () => 2.5, "s", "Seconds since the service node last answered.");
        }

        public Counter<long> CopiesSent { get; }

        public Counter<long> Dropped { get; }

        public Histogram<double> Latency { get; }

        public Histogram<int> BatchSize { get; }

        public UpDownCounter<long> Entries { get; }

        public int Vnis { get; set; }
    }
}
