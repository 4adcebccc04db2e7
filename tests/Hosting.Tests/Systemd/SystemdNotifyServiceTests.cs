using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Replicator.Hosting.Health;
using Replicator.Hosting.Metrics;
using Replicator.Hosting.Metrics.Tests;

namespace Replicator.Hosting.Systemd.Tests;

public class SystemdNotifyServiceTests
{
    [Fact]
    public async Task Host_NoConditions_ReadyAfterStartAndStoppingAtShutdown()
    {
        using var socket = NotifySocket.BindAbstract();
        var host = await ObservabilityHost.StartAsync(o =>
        {
            o.SystemdNotify = true;
            o.NotifySocket = socket.Name;
        });

        var beforeReady = await socket.ReceiveUntilAsync("READY=1");
        await host.DisposeAsync();
        var atStop = await socket.ReceiveUntilAsync("STOPPING=1");

        Assert.Contains("READY=1\nSTATUS=ready", beforeReady);
        Assert.DoesNotContain(atStop, m => m.Contains("READY=1"));
    }

    [Fact]
    public async Task Host_ConditionUnmet_StatusNamesItAndReadyOnlyWhenMet()
    {
        using var socket = NotifySocket.BindPath();
        await using var host = await ObservabilityHost.StartAsync(o =>
        {
            o.SystemdNotify = true;
            o.NotifySocket = socket.Name;
            o.ReadinessConditions.Add("initial state loaded");
        });

        Assert.Equal("STATUS=waiting for: initial state loaded", await socket.ReceiveAsync());
        await Task.Delay(200);
        Assert.False(socket.HasPending);

        host.Host.Services.GetRequiredService<ReadinessState>().Set("initial state loaded", true);

        Assert.Equal("READY=1\nSTATUS=ready", await socket.ReceiveAsync());
    }

    [Fact]
    public async Task Host_ReadinessLostAfterReady_StatusUpdatedNoSecondReady()
    {
        using var socket = NotifySocket.BindPath();
        await using var host = await ObservabilityHost.StartAsync(o =>
        {
            o.SystemdNotify = true;
            o.NotifySocket = socket.Name;
        });
        await socket.ReceiveUntilAsync("READY=1");
        var readiness = host.Host.Services.GetRequiredService<ReadinessState>();

        var link = readiness.Register("peer link");
        Assert.Equal("STATUS=waiting for: peer link", await socket.ReceiveAsync());
        link.MarkMet();

        Assert.Equal("STATUS=ready", await socket.ReceiveAsync());
    }

    [Fact]
    public async Task Service_NoNotifySocket_DoesNothing()
    {
        var readiness = new ReadinessState();
        var lifetime = new FakeLifetime();
        using var service = new SystemdNotifyService(null, readiness, lifetime, Microsoft.Extensions.Logging.Abstractions.NullLogger<SystemdNotifyService>.Instance);

        await service.StartAsync(CancellationToken.None);
        lifetime.Start();
        readiness.Set(ReadinessState.HostStarted, true);
        await service.StopAsync(CancellationToken.None);

        Assert.True(service.ReadyTask.IsCompleted);
    }

    [Fact]
    public async Task Service_NotifySocketGone_LogsAndKeepsRunning()
    {
        var readiness = new ReadinessState();
        var lifetime = new FakeLifetime();
        var notifier = new SystemdNotifier($"/tmp/rpl-obs-gone-{Environment.ProcessId}/notify");
        using var service = new SystemdNotifyService(notifier, readiness, lifetime, Microsoft.Extensions.Logging.Abstractions.NullLogger<SystemdNotifyService>.Instance);

        await service.StartAsync(CancellationToken.None);
        lifetime.Start();
        readiness.Set(ReadinessState.HostStarted, true);
        await service.ReadyTask.WaitAsync(TimeSpan.FromSeconds(10));
        lifetime.Stop();
        await service.StopAsync(CancellationToken.None);
    }

    private sealed class FakeLifetime : IHostApplicationLifetime
    {
        private readonly CancellationTokenSource _started = new();
        private readonly CancellationTokenSource _stopping = new();
        private readonly CancellationTokenSource _stopped = new();

        public CancellationToken ApplicationStarted => _started.Token;

        public CancellationToken ApplicationStopping => _stopping.Token;

        public CancellationToken ApplicationStopped => _stopped.Token;

        public void Start() => _started.Cancel();

        public void Stop() => _stopping.Cancel();

        public void StopApplication() => Stop();
    }
}
