using System.Net;
using System.Threading.Channels;
using Replicator.Linux.Netlink;
using Replicator.Linux.Routes;
using Replicator.TestSupport;

namespace Replicator.Linux.Tests.Routes;

[Collection(KernelCollection.Name)]
public class RouteWatcherKernelTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private static readonly IPAddress Prefix4 = IPAddress.Parse("198.51.100.0");
    private static readonly IPAddress Prefix6 = IPAddress.Parse("2001:db8:2::");

    [KernelFact]
    public async Task Events_AddReplaceDelete_AreReportedForBothFamilies()
    {
        using var ns = NetworkNamespace.Create("rt-watch");
        KernelFixture.AddVeth(ns, "d0", "d1", "192.0.2.1/24", "2001:db8:1::1/64");
        KernelFixture.AddVeth(ns, "e0", "e1", "203.0.113.1/24");
        ns.Exec("ip", "route", "add", "198.51.100.0/24", "via", "192.0.2.254");
        using var watcher = NamespaceThread.Run(ns.Name, () => RouteWatcher.Start());

        var initial = await Next(watcher.Events, _ => true);
        Assert.Equal(WatchEventKind.Resync, initial.Kind);
        Assert.Equal(WatchResyncReason.Initial, initial.ResyncReason);
        Assert.Contains(initial.Items, r => r.Destination.Equals(Prefix4) && r.PrefixLength == 24);

        ns.Exec("ip", "route", "replace", "198.51.100.0/24", "via", "203.0.113.254");
        var replaced = await Next(watcher.Events, e => e.Item?.Destination.Equals(Prefix4) == true && e.Kind == WatchEventKind.New);
        Assert.Equal(IPAddress.Parse("203.0.113.254"), replaced.Item!.Gateway);
        Assert.Equal(KernelFixture.IfIndex(ns, "e0"), replaced.Item.OutputInterface);

        ns.Exec("ip", "route", "del", "198.51.100.0/24");
        var deleted = await Next(watcher.Events, e => e.Item?.Destination.Equals(Prefix4) == true);
        Assert.Equal(WatchEventKind.Deleted, deleted.Kind);

        ns.Exec("ip", "-6", "route", "add", "2001:db8:2::/64", "via", "2001:db8:1::fe");
        var added6 = await Next(watcher.Events, e => e.Item?.Destination.Equals(Prefix6) == true);
        Assert.Equal(WatchEventKind.New, added6.Kind);
        Assert.Equal(IPAddress.Parse("2001:db8:1::fe"), added6.Item!.Gateway);
        Assert.Equal(64, added6.Item.PrefixLength);
    }

    [KernelFact]
    public async Task Start_WithoutListing_ResyncCarriesNoRoutes()
    {
        using var ns = NetworkNamespace.Create("rt-wnol");
        KernelFixture.AddVeth(ns, "d0", "d1", "192.0.2.1/24");
        using var watcher = NamespaceThread.Run(ns.Name, () => RouteWatcher.Start(listExisting: false));

        var initial = await Next(watcher.Events, _ => true);

        Assert.Equal(WatchEventKind.Resync, initial.Kind);
        Assert.Empty(initial.Items);
        watcher.Dispose();
        await watcher.Events.Completion.WaitAsync(Timeout);
    }

    internal static async Task<WatchEvent<T>> Next<T>(ChannelReader<WatchEvent<T>> events, Func<WatchEvent<T>, bool> match) where T : class
    {
        using var cts = new CancellationTokenSource(Timeout);
        while (true)
        {
            var e = await events.ReadAsync(cts.Token);
            if (match(e))
            {
                return e;
            }
        }
    }
}
