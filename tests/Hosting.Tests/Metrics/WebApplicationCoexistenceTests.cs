using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Replicator.Hosting.Metrics.Tests;

/// <summary>
/// A daemon's WebApplication serving a management API on a unix socket, plus AddObservability:
/// each listener serves only its own routes.
/// </summary>
public class WebApplicationCoexistenceTests
{
    [Fact]
    public async Task AddObservability_OnWebApplicationWithUnixSocketApi_ListenersServeOnlyTheirOwnRoutes()
    {
        var dir = Directory.CreateTempSubdirectory("rpl-obs-mgmt-");
        string socketPath = Path.Combine(dir.FullName, "vxsnd.sock");
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.ConfigureKestrel(k => k.ListenUnixSocket(socketPath));
        builder.AddObservability("vxsnd", [], metricsEndpoint: "127.0.0.1:0", otlpEndpoint: null);
        await using var app = builder.Build();
        app.MapGet("/status", () => "management");
        await app.StartAsync();
        try
        {
            var tcp = app.Services.GetRequiredService<ObservabilityServer>().BoundEndpoint!;
            using var overTcp = new HttpClient { BaseAddress = new Uri($"http://{tcp}/") };
            using var overUnix = new HttpClient(new SocketsHttpHandler
            {
                ConnectCallback = async (_, ct) =>
                {
                    var s = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                    await s.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), ct);
                    return new NetworkStream(s, ownsSocket: true);
                },
            })
            { BaseAddress = new Uri("http://localhost/") };

            using var metricsTcp = await overTcp.GetAsync("metrics");
            using var statusTcp = await overTcp.GetAsync("status");
            using var statusUnix = await overUnix.GetAsync("status");
            using var metricsUnix = await overUnix.GetAsync("metrics");

            Assert.Equal(HttpStatusCode.OK, metricsTcp.StatusCode);
            Assert.Equal(1, Exposition.Value(await metricsTcp.Content.ReadAsStringAsync(), "vxsnd_ready"));
            Assert.Equal(HttpStatusCode.NotFound, statusTcp.StatusCode);
            Assert.Equal("management", await statusUnix.Content.ReadAsStringAsync());
            Assert.Equal(HttpStatusCode.NotFound, metricsUnix.StatusCode);
        }
        finally
        {
            await app.StopAsync();
            dir.Delete(recursive: true);
        }
    }
}
