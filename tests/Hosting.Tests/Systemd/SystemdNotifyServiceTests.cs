using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Systemd;
using Microsoft.Extensions.Logging.Abstractions;
using Replicator.Hosting.Health;
using Replicator.Hosting.Metrics.Tests;
using Replicator.TestSupport;

namespace Replicator.Hosting.Systemd.Tests;

/// <summary>Our readiness gating and STATUS lines, sent through the package's SystemdNotifier to a real unix datagram socket.</summary>
[Collection(SystemdEnvironmentCollection.Name)]
public class SystemdNotifyServiceTests
{
    [Fact]
    public async Task Host_NoConditionsAbstractSocket_ReadyAfterStartAndStoppingAtShutdown()
    {
        using var socket = NotifySocket.BindAbstract();
        var host = await StartHostAsync(socket);

        var beforeReady = await socket.ReceiveUntilAsync("READY=1");
        await host.DisposeAsync();
        var atStop = await socket.ReceiveUntilAsync("STOPPING=1");

        Assert.Contains("READY=1\nSTATUS=ready", beforeReady);
        Assert.DoesNotContain(atStop, m => m.Contains("READY=1"));
        Assert.DoesNotContain(beforeReady.Concat(atStop), m => m.Contains("WATCHDOG=1"));
    }

    [Fact]
    public async Task Host_ConditionUnmet_StatusNamesItAndReadyOnlyWhenMet()
    {
        using var socket = NotifySocket.BindPath();
        await using var host = await StartHostAsync(socket, o => o.ReadinessConditions.Add("initial state loaded"));

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
        await using var host = await StartHostAsync(socket);
        await socket.ReceiveUntilAsync("READY=1");
        var readiness = host.Host.Services.GetRequiredService<ReadinessState>();

        var link = readiness.Register("peer link");
        Assert.Equal("STATUS=waiting for: peer link", await socket.ReceiveAsync());
        link.MarkMet();

        Assert.Equal("STATUS=ready", await socket.ReceiveAsync());
    }

    [Fact]
    public async Task Service_NotifierDisabled_DoesNothing()
    {
        var readiness = new ReadinessState();
        var lifetime = new FakeLifetime();
        using var service = new SystemdNotifyService(new DisabledNotifier(), readiness, lifetime, NullLogger<SystemdNotifyService>.Instance);

        await service.StartAsync(CancellationToken.None);
        lifetime.Start();
        readiness.Set(ReadinessState.HostStarted, true);
        await service.StopAsync(CancellationToken.None);

        Assert.True(service.ReadyTask.IsCompleted);
        Assert.False(service.ReadySent.IsCompleted);
    }

    [Fact]
    public async Task Service_NotifySocketGone_LogsAndKeepsRunning()
    {
        SystemdNotifier notifier;
        using (new SystemdEnvironment($"/tmp/rpl-obs-gone-{Environment.ProcessId}/notify"))
        {
            notifier = new SystemdNotifier();
        }

        var readiness = new ReadinessState();
        var lifetime = new FakeLifetime();
        using var service = new SystemdNotifyService(notifier, readiness, lifetime, NullLogger<SystemdNotifyService>.Instance);

        await service.StartAsync(CancellationToken.None);
        lifetime.Start();
        readiness.Set(ReadinessState.HostStarted, true);
        await service.ReadyTask.WaitAsync(TimeSpan.FromSeconds(10));
        lifetime.Stop();
        await service.StopAsync(CancellationToken.None);

        Assert.True(notifier.IsEnabled);
    }

    /// <summary>A host built while systemd's variables name <paramref name="socket"/> (and, optionally, a watchdog).</summary>
    internal static async Task<ObservabilityHost> StartHostAsync(NotifySocket socket, Action<Metrics.ObservabilityOptions>? configure = null, TimeSpan? watchdog = null)
    {
        using var environment = new SystemdEnvironment(socket.Name, watchdog);
        return await ObservabilityHost.StartAsync(o =>
        {
            o.SystemdNotify = true;
            configure?.Invoke(o);
        });
    }

    private sealed class DisabledNotifier : ISystemdNotifier
    {
        public bool IsEnabled => false;

        public void Notify(ServiceState state) => throw new InvalidOperationException("not enabled");
    }

    internal sealed class FakeLifetime : IHostApplicationLifetime
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
