using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Replicator.Hosting.Health;
using Replicator.TestSupport;

namespace Replicator.Hosting.Systemd.Tests;

/// <summary>WATCHDOG=1 through the package's SystemdNotifier to a real unix datagram socket, gated on the loops' heartbeats.</summary>
[Collection(SystemdEnvironmentCollection.Name)]
public class SystemdWatchdogServiceTests
{
    // 600 ms: a tick every 200 ms, so a test sees several keep-alives in a second.
    private static readonly TimeSpan Timeout = TimeSpan.FromMilliseconds(600);

    [Fact]
    public async Task Host_WatchdogRequested_StatusThenReadyThenWatchdogInOrder()
    {
        using var socket = NotifySocket.BindPath();
        await using var host = await SystemdNotifyServiceTests.StartHostAsync(socket, o => o.ReadinessConditions.Add("initial state loaded"), Timeout);

        Assert.Equal("STATUS=waiting for: initial state loaded", await socket.ReceiveAsync());
        // No keep-alive before READY=1: systemd judges the start by TimeoutStartSec=.
        await Task.Delay(Timeout);
        Assert.False(socket.HasPending);
        host.Host.Services.GetRequiredService<ReadinessState>().Set("initial state loaded", true);

        Assert.Equal("READY=1\nSTATUS=ready", await socket.ReceiveAsync());
        Assert.Equal("WATCHDOG=1", await socket.ReceiveAsync());
        Assert.Equal("WATCHDOG=1", await socket.ReceiveAsync());
    }

    [Fact]
    public async Task Host_LoopWedged_WatchdogStopsAndResumesWhenItRecovers()
    {
        using var socket = NotifySocket.BindPath();
        await using var host = await SystemdNotifyServiceTests.StartHostAsync(socket, watchdog: Timeout);
        var watchdog = host.Host.Services.GetServices<IHostedService>().OfType<SystemdWatchdogService>().Single();
        using var loop = new TestLoop(host.Host.Services.GetRequiredService<WatchdogHeartbeats>(), "test loop");
        // Healthy: keep-alives keep coming, however slowly a loaded machine schedules the ticks.
        for (int i = 0; i < 4; i++) await socket.ReceiveUntilAsync("WATCHDOG=1");

        loop.Wedge();
        // The tick after the wedge may still see the loop's last beat; the one after that reports it.
        await WaitUntilAsync(() => watchdog.Stalled == "test loop");
        // Whatever was sent before that tick is already queued: drop it. From now on every tick sees
        // the loop stalled, so nothing may arrive (a second is five ticks).
        while (socket.HasPending) await socket.ReceiveAsync();
        var wedged = await socket.ReceiveForAsync(TimeSpan.FromSeconds(1));
        Assert.DoesNotContain("WATCHDOG=1", wedged);

        loop.Release();
        await socket.ReceiveUntilAsync("WATCHDOG=1");
        // The tick sends, then clears the stall: wait for the second half too.
        await WaitUntilAsync(() => watchdog.Stalled is null);
    }

    /// <summary>Polls <paramref name="condition"/> with a bound meant for a loaded machine, not for timing.</summary>
    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met within 30 s");
            await Task.Delay(20);
        }
    }

    [Fact]
    public async Task Host_IdleLoopWokenOnlyByProbe_WatchdogKeepsGoing()
    {
        using var socket = NotifySocket.BindPath();
        await using var host = await SystemdNotifyServiceTests.StartHostAsync(socket, watchdog: Timeout);
        var heartbeats = host.Host.Services.GetRequiredService<WatchdogHeartbeats>();
        // Like the registry loop: it only runs when posted work, and the probe is that work.
        using var work = new SemaphoreSlim(0);
        Heartbeat? heartbeat = null;
        heartbeat = heartbeats.Register("idle loop", () => work.Release());
        using var stop = new CancellationTokenSource();
        var loop = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                await work.WaitAsync(stop.Token);
                heartbeat.Beat();
            }
        });

        // Three keep-alives in a row: each needed the probe to wake the loop (waited for, not timed).
        for (int i = 0; i < 3; i++) await socket.ReceiveUntilAsync("WATCHDOG=1");
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => loop);
    }

    [Fact]
    public async Task Host_NoWatchdogUsec_NoWatchdogService()
    {
        using var socket = NotifySocket.BindPath();
        await using var host = await SystemdNotifyServiceTests.StartHostAsync(socket);

        await socket.ReceiveUntilAsync("READY=1");

        Assert.Empty(host.Host.Services.GetServices<IHostedService>().OfType<SystemdWatchdogService>());
    }

    [Fact]
    public async Task Host_WatchdogPidOfAnotherProcess_NoWatchdogService()
    {
        using var socket = NotifySocket.BindPath();
        Metrics.Tests.ObservabilityHost host;
        using (new SystemdEnvironment(socket.Name, Timeout, watchdogPid: Environment.ProcessId + 1))
        {
            host = await Metrics.Tests.ObservabilityHost.StartAsync(o => o.SystemdNotify = true);
        }

        await using (host)
        {
            Assert.Empty(host.Host.Services.GetServices<IHostedService>().OfType<SystemdWatchdogService>());
        }
    }

    /// <summary>A loop that beats every 10 ms until wedged (blocked on a gate, as a hung call would be).</summary>
    private sealed class TestLoop : IDisposable
    {
        private readonly ManualResetEventSlim _gate = new(true);
        private readonly CancellationTokenSource _stop = new();
        private readonly Thread _thread;

        public TestLoop(WatchdogHeartbeats heartbeats, string name)
        {
            var heartbeat = heartbeats.Register(name);
            _thread = new Thread(() =>
            {
                while (!_stop.IsCancellationRequested)
                {
                    try
                    {
                        _gate.Wait(_stop.Token);
                    }
                    catch (OperationCanceledException)
                    {
                        return;
                    }

                    heartbeat.Beat();
                    Thread.Sleep(10);
                }
            })
            { IsBackground = true, Name = name };
            _thread.Start();
        }

        public void Wedge() => _gate.Reset();

        public void Release() => _gate.Set();

        public void Dispose()
        {
            _stop.Cancel();
            _thread.Join();
            _gate.Dispose();
            _stop.Dispose();
        }
    }
}
