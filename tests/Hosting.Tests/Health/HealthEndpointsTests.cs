using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Replicator.Hosting.Health;
using Replicator.Hosting.Metrics.Tests;

namespace Replicator.Hosting.Health.Tests;

public class HealthEndpointsTests
{
    [Fact]
    public async Task Healthz_RunningHost_200Ok()
    {
        await using var host = await ObservabilityHost.StartAsync();

        using var response = await host.Client.GetAsync("healthz");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ok\n", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Readyz_PreregisteredConditionsUnmet_503ListingThem()
    {
        await using var host = await ObservabilityHost.StartAsync(o =>
        {
            o.ReadinessConditions.Add("sockets bound");
            o.ReadinessConditions.Add("initial state loaded");
        });
        var readiness = host.Host.Services.GetRequiredService<ReadinessState>();

        using var notReady = await host.Client.GetAsync("readyz");
        string body = await notReady.Content.ReadAsStringAsync();
        readiness.Set("sockets bound", true);
        using var partly = await host.Client.GetAsync("readyz");
        readiness.Set("initial state loaded", true);
        using var ready = await host.Client.GetAsync("readyz");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, notReady.StatusCode);
        Assert.Equal("not ready\nunmet: sockets bound\nunmet: initial state loaded\n", body);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, partly.StatusCode);
        Assert.Equal("not ready\nunmet: initial state loaded\n", await partly.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("ready\n", await ready.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Readyz_AfterHostStarted_ReadyWithoutOtherConditions()
    {
        await using var host = await ObservabilityHost.StartAsync();

        using var response = await host.Client.GetAsync("readyz");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Readyz_DuringSlowStart_HealthzAnswersAndReadyzWaitsForHostStarted()
    {
        // A hosted service whose start blocks, like vxsnd pulling its table from a peer.
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var built = ObservabilityHost.Build(services: s => s.AddHostedService(_ => new BlockingStart(gate.Task)));
        var starting = built.StartAsync();
        try
        {
            var server = built.Services.GetRequiredService<Metrics.ObservabilityServer>();
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
            while (server.BoundEndpoint is null && DateTime.UtcNow < deadline && !starting.IsFaulted)
            {
                await Task.Delay(20);
            }

            Assert.NotNull(server.BoundEndpoint);
            using var client = new HttpClient { BaseAddress = new Uri($"http://{server.BoundEndpoint}/") };

            using var health = await client.GetAsync("healthz");
            using var ready = await client.GetAsync("readyz");

            Assert.False(starting.IsCompleted);
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
            Assert.Equal($"not ready\nunmet: {ReadinessState.HostStarted}\n", await ready.Content.ReadAsStringAsync());
        }
        finally
        {
            gate.SetResult();
            await starting;
            await using var host = ObservabilityHost.Attach(built);
        }
    }

    [Fact]
    public async Task Readyz_HostStopping_503Stopping()
    {
        await using var host = await ObservabilityHost.StartAsync();
        var lifetime = host.Host.Services.GetRequiredService<IHostApplicationLifetime>();

        lifetime.StopApplication();
        using var response = await host.Client.GetAsync("readyz");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("stopping\n", await response.Content.ReadAsStringAsync());
    }

    private sealed class BlockingStart(Task gate) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => gate;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
