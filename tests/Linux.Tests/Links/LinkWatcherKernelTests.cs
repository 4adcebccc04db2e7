using System.Net;
using System.Threading.Channels;
using Replicator.Linux.Links;
using Replicator.TestSupport;

namespace Replicator.Linux.Tests.Links;

[Collection(KernelCollection.Name)]
public class LinkWatcherKernelTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    [KernelFact]
    public async Task Events_AddUpDownDelete_AreReportedInOrder()
    {
        using var ns = NetworkNamespace.Create("nl-watch");
        KernelFixture.AddVxlan(ns, "vxold", 50, "192.0.2.1");
        using var watcher = NamespaceThread.Run(ns.Name, () => LinkWatcher.Start());

        var initial = await Next(watcher.Events, _ => true);
        Assert.Equal(LinkEventKind.Resync, initial.Kind);
        Assert.Equal(LinkResyncReason.Initial, initial.ResyncReason);
        Assert.Contains(initial.Links, l => l.Name == "vxold" && l.Vxlan?.Vni == 50);

        KernelFixture.AddVxlan(ns, "vxlan100", 100, "192.0.2.1", up: false);
        var added = await Next(watcher.Events, e => e.Link?.Name == "vxlan100");
        Assert.Equal(LinkEventKind.Added, added.Kind);
        Assert.False(added.Link!.IsUp);
        Assert.Equal(100u, added.Link.Vxlan!.Vni);

        ns.Exec("ip", "link", "set", "vxlan100", "up");
        var up = await Next(watcher.Events, e => e.Link?.Name == "vxlan100" && e.Link.IsUp);
        Assert.Equal(LinkEventKind.Changed, up.Kind);
        Assert.False(up.Previous!.IsUp);
        Assert.Equal(IPAddress.Parse("192.0.2.1"), up.Link!.Vxlan!.Local);

        // Enslaving makes the kernel send AF_BRIDGE port notifications too; they must not look like deletions.
        ns.Exec("ip", "link", "add", "br0", "type", "bridge");
        ns.Exec("ip", "link", "set", "vxlan100", "master", "br0");
        var enslaved = await Next(watcher.Events, e => e.Link?.Name == "vxlan100" && e.Link.MasterIndex != 0);
        Assert.Equal(LinkEventKind.Changed, enslaved.Kind);

        ns.Exec("ip", "link", "set", "vxlan100", "down");
        var down = await Next(watcher.Events, e => e.Link?.Name == "vxlan100" && !e.Link.IsUp);
        Assert.Equal(LinkEventKind.Changed, down.Kind);
        Assert.Equal(100u, down.Link!.Vxlan!.Vni);

        ns.Exec("ip", "link", "del", "vxlan100");
        var removed = await Next(watcher.Events, e => e.Link?.Name == "vxlan100" && e.Kind != LinkEventKind.Changed);
        Assert.Equal(LinkEventKind.Removed, removed.Kind);

        ns.Exec("ip", "link", "add", "veth0", "type", "veth", "peer", "name", "veth1");
        var veth = await Next(watcher.Events, e => e.Link?.Name == "veth0");
        Assert.Equal(LinkEventKind.Added, veth.Kind);
        Assert.False(veth.Link!.IsVxlan);
    }

    [KernelFact]
    public async Task Dispose_CompletesTheStream()
    {
        using var ns = NetworkNamespace.Create("nl-wstop");
        var watcher = NamespaceThread.Run(ns.Name, () => LinkWatcher.Start());
        var initial = await Next(watcher.Events, _ => true);
        Assert.Equal(LinkEventKind.Resync, initial.Kind);
        watcher.Dispose();
        await watcher.Events.Completion.WaitAsync(Timeout);
    }

    [KernelFact]
    public async Task Events_TinyReceiveBufferFlooded_ResyncsWithFullDump()
    {
        using var ns = NetworkNamespace.Create("nl-wlost");
        // A receive buffer far too small for a burst makes the kernel drop notifications (ENOBUFS).
        using var watcher = NamespaceThread.Run(ns.Name, () => LinkWatcher.Start(receiveBufferBytes: 1));
        await Next(watcher.Events, e => e.Kind == LinkEventKind.Resync);
        // Whether a burst overflows depends on how fast the watcher's thread drains the socket on a
        // loaded machine, so bursts repeat (at most 5) until one does; every one must converge.
        var view = new Dictionary<int, LinkInfo>();
        bool lost = false;
        var log = new List<string>();
        for (int burst = 0; burst < 5 && !lost; burst++)
        {
            string batch = string.Join('\n', Enumerable.Range(0, 200).Select(i => $"link add d{burst}x{i} type bridge"));
            File.WriteAllText($"/tmp/{ns.Name}.batch", batch);
            try
            {
                ns.Exec("ip", "-batch", $"/tmp/{ns.Name}.batch");
            }
            finally
            {
                File.Delete($"/tmp/{ns.Name}.batch");
            }

            // Whatever was lost, the view built from the events converges to the kernel's.
            int expected = 200 * (burst + 1);
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            while (view.Values.Count(l => l.Name.StartsWith('d')) != expected)
            {
                LinkEvent e;
                try
                {
                    e = await watcher.Events.ReadAsync(cts.Token);
                }
                catch (OperationCanceledException)
                {
                    throw new TimeoutException($"view has {view.Values.Count(l => l.Name.StartsWith('d'))} of {expected} links; kernel has {ns.Exec("ip", "-o", "link", "show").Split('\n').Count(l => l.Contains(": d"))}; events: {string.Join(", ", log.TakeLast(20))}");
                }
                log.Add(e.ToString());
                switch (e.Kind)
                {
                    case LinkEventKind.Resync:
                        lost |= e.ResyncReason == LinkResyncReason.NotificationsLost;
                        view = e.Links.ToDictionary(l => l.Index);
                        break;
                    case LinkEventKind.Removed:
                        view.Remove(e.Link!.Index);
                        break;
                    default:
                        view[e.Link!.Index] = e.Link;
                        break;
                }
            }
        }
        Assert.True(lost, "expected the burst to overflow the notification socket (ENOBUFS)");
        Assert.True(watcher.NotificationLosses > 0);
    }

    private static async Task<LinkEvent> Next(ChannelReader<LinkEvent> events, Func<LinkEvent, bool> match, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? Timeout);
        var seen = new List<string>();
        try
        {
            while (true)
            {
                var e = await events.ReadAsync(cts.Token);
                if (match(e))
                {
                    return e;
                }
                seen.Add(e.ToString());
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"no matching link event; saw: {string.Join(", ", seen)}");
        }
    }
}
