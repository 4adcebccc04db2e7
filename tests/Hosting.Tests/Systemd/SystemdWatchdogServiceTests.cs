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
        await socket.ReceiveUntilAsync("WATCHDOG=1");
        var healthy = await socket.ReceiveForAsync(TimeSpan.FromSeconds(2));

        loop.Wedge();
        // At most two more: one sent since the last datagram read, and the tick whose period
        // still saw the loop beat. A healthy loop gets about ten in the same time.
        var wedged = await socket.ReceiveForAsync(TimeSpan.FromSeconds(2));

        Assert.True(healthy.Count(m => m == "WATCHDOG=1") >= 4, string.Join(" | ", healthy));
        Assert.True(wedged.Count(m => m == "WATCHDOG=1") <= 2, string.Join(" | ", wedged));
        Assert.Equal("test loop", watchdog.Stalled);

        loop.Release();
        await socket.ReceiveUntilAsync("WATCHDOG=1");
        Assert.Null(watchdog.Stalled);
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

        var received = await socket.ReceiveForAsync(TimeSpan.FromSeconds(2));

        Assert.True(received.Count(m => m == "WATCHDOG=1") >= 3, string.Join(" | ", received));
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
