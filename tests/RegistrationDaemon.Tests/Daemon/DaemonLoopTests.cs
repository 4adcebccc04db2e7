using System.Net;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Replicator.Linux.Links;
using Replicator.RegistrationDaemon.Configuration;
using Replicator.RegistrationDaemon.Daemon;
using Replicator.RegistrationDaemon.Devices;
using Replicator.RegistrationDaemon.Reconcile;
using Replicator.RegistrationDaemon.Registration;
using Replicator.RegistrationDaemon.Tests.Fakes;

namespace Replicator.RegistrationDaemon.Tests.Daemon;

/// <summary>The loop on the real clock, with in-memory link and control sources.</summary>
public sealed class DaemonLoopTests
{
    private sealed class ChannelLinks : ILinkSource
    {
        public Channel<LinkEvent> Events { get; } = Channel.CreateUnbounded<LinkEvent>();

        public IAsyncEnumerable<LinkEvent> WatchAsync(CancellationToken cancellationToken) => Events.Reader.ReadAllAsync(cancellationToken);
    }

    private sealed class ChannelControl : IControlChannel
    {
        public Channel<PeerListUpdate> Incoming { get; } = Channel.CreateUnbounded<PeerListUpdate>();

        public List<RegistrationBatch> Sent { get; } = [];

        public int Send(RegistrationBatch batch)
        {
            lock (Sent) Sent.Add(batch);
            return 1;
        }

        public IAsyncEnumerable<PeerListUpdate> ReceiveAsync(CancellationToken cancellationToken) => Incoming.Reader.ReadAllAsync(cancellationToken);
    }

    private sealed class FixedSettings(RuntimeSettings current) : IRuntimeSettingsSource
    {
        public RuntimeSettings Current { get; private set; } = current;

        public event Action<RuntimeSettings>? Changed;

        public void Set(RuntimeSettings s)
        {
            Current = s;
            Changed?.Invoke(s);
        }
    }

    private sealed class Lifetime : IHostApplicationLifetime
    {
        public CancellationToken ApplicationStarted => CancellationToken.None;

        public CancellationToken ApplicationStopping => CancellationToken.None;

        public CancellationToken ApplicationStopped => CancellationToken.None;

        public bool StopRequested { get; private set; }

        public void StopApplication() => StopRequested = true;
    }

    [Fact]
    public async Task ExecuteAsync_EventsFromAllSources_AppliedInOrderAndWithdrawnOnStop()
    {
        using var meters = new TestMeters();
        var fdb = new FakeFdbTable();
        var control = new ChannelControl();
        var links = new ChannelLinks();
        var initial = new RuntimeSettings(ReplicationMode.HeadEnd, TimeSpan.FromSeconds(90), 3);
        var settings = new FixedSettings(initial);
        var stat = new StaticSettings(IPAddress.Parse("203.0.113.1"), 10001, null, TimeSpan.FromSeconds(10), [], "/tmp/x");
        var core = new DaemonCore(stat, initial, fdb, control, TimeProvider.System, new Random(1),
            new RegistrationMetrics(meters, TimeProvider.System), new ReconcileMetrics(meters), NullLogger<DaemonCore>.Instance);
        var loop = new DaemonLoop(core, links, control, settings, TimeProvider.System, new Lifetime(), NullLogger<DaemonLoop>.Instance);
        await loop.StartAsync(CancellationToken.None);

        links.Events.Writer.TryWrite(LinkEvent.Resync(LinkResyncReason.Initial, [CoreHarness.Vxlan(10, 100, "198.51.100.1")]));
        await loop.Ready.WaitAsync(TimeSpan.FromSeconds(5));
        control.Incoming.Writer.TryWrite(new PeerListUpdate(new IPEndPoint(IPAddress.Parse("203.0.113.1"), 10001), TimeSpan.FromSeconds(90),
            new Dictionary<uint, IReadOnlyList<IPAddress>> { [100] = [IPAddress.Parse("198.51.100.1"), IPAddress.Parse("198.51.100.2")] }));
        await Until(() => loop.Snapshot.Devices.Single().Destinations.SequenceEqual(["198.51.100.2"]));
        Assert.True(loop.Snapshot.Reachable);

        settings.Set(initial with { Mode = ReplicationMode.ServiceNode });
        await Until(() => loop.Snapshot.Devices.Single().Destinations.SequenceEqual(["203.0.113.1"]));
        Assert.Equal("ServiceNode", loop.Snapshot.Mode);

        Assert.Equal(1, await loop.FlushAsync(CancellationToken.None));
        await loop.StopAsync(CancellationToken.None);
        lock (control.Sent) Assert.True(control.Sent[^1].IsWithdrawal);
        Assert.Empty(fdb.Entries(10));
    }

    private static async Task Until(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(5);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("condition not met within 5 s");
            await Task.Delay(10);
        }
    }
}
