using System.Net;
using System.Net.NetworkInformation;
using Replicator.Linux.Neighbours;
using Replicator.Linux.Netlink;
using Replicator.Linux.Tests.Routes;
using Replicator.TestSupport;

namespace Replicator.Linux.Tests.Neighbours;

[Collection(KernelCollection.Name)]
public class NeighbourWatcherKernelTests
{
    private static readonly IPAddress Gateway = IPAddress.Parse("192.0.2.254");
    private static readonly IPAddress Gateway6 = IPAddress.Parse("2001:db8:1::fe");

    [KernelFact]
    public async Task Events_AddReplaceFailDelete_AreReportedWithMacAndState()
    {
        using var ns = NetworkNamespace.Create("nb-watch");
        KernelFixture.AddVeth(ns, "d0", "d1", "192.0.2.1/24", "2001:db8:1::1/64");
        ns.Exec("ip", "neigh", "add", "192.0.2.9", "lladdr", "02:00:00:00:00:09", "dev", "d0", "nud", "permanent");
        using var watcher = NamespaceThread.Run(ns.Name, () => NeighbourWatcher.Start());

        var initial = await RouteWatcherKernelTests.Next(watcher.Events, _ => true);
        Assert.Equal(WatchEventKind.Resync, initial.Kind);
        Assert.Contains(initial.Items, n => n.Address.Equals(IPAddress.Parse("192.0.2.9")));

        ns.Exec("ip", "neigh", "add", "192.0.2.254", "lladdr", "02:00:00:00:00:fe", "dev", "d0", "nud", "reachable");
        var added = await RouteWatcherKernelTests.Next(watcher.Events, e => e.Item?.Address.Equals(Gateway) == true);
        Assert.Equal(WatchEventKind.New, added.Kind);
        Assert.Equal(PhysicalAddress.Parse("02-00-00-00-00-FE"), added.Item!.LinkLayerAddress);
        Assert.True(added.Item.IsUsable);

        ns.Exec("ip", "neigh", "replace", "192.0.2.254", "lladdr", "02:00:00:00:01:fe", "dev", "d0", "nud", "reachable");
        var moved = await RouteWatcherKernelTests.Next(watcher.Events,
            e => e.Item?.Address.Equals(Gateway) == true && PhysicalAddress.Parse("02-00-00-00-01-FE").Equals(e.Item.LinkLayerAddress));
        Assert.Equal(WatchEventKind.New, moved.Kind);

        ns.Exec("ip", "neigh", "replace", "192.0.2.254", "dev", "d0", "nud", "failed");
        var failed = await RouteWatcherKernelTests.Next(watcher.Events, e => e.Item?.Address.Equals(Gateway) == true && !e.Item.IsValid);
        Assert.False(failed.Item!.IsUsable);

        ns.Exec("ip", "neigh", "del", "192.0.2.254", "dev", "d0");
        var deleted = await RouteWatcherKernelTests.Next(watcher.Events, e => e.Item?.Address.Equals(Gateway) == true && e.Kind == WatchEventKind.Deleted);
        Assert.Equal(KernelFixture.IfIndex(ns, "d0"), deleted.Item!.IfIndex);

        ns.Exec("ip", "-6", "neigh", "add", "2001:db8:1::fe", "lladdr", "02:00:00:00:06:fe", "dev", "d0", "nud", "stale");
        var added6 = await RouteWatcherKernelTests.Next(watcher.Events, e => e.Item?.Address.Equals(Gateway6) == true);
        Assert.Equal(Nl.NUD_STALE, added6.Item!.State);
        Assert.True(added6.Item.IsUsable);
    }

    [KernelFact]
    public async Task Events_BridgeFdbChanges_AreSkipped()
    {
        using var ns = NetworkNamespace.Create("nb-wfdb");
        KernelFixture.AddVxlan(ns, "vx0", 100, "192.0.2.1");
        using var watcher = NamespaceThread.Run(ns.Name, () => NeighbourWatcher.Start());
        await RouteWatcherKernelTests.Next(watcher.Events, e => e.Kind == WatchEventKind.Resync);
        KernelFixture.AddVeth(ns, "d0", "d1", "192.0.2.1/24");

        ns.Exec("bridge", "fdb", "append", "00:00:00:00:00:00", "dev", "vx0", "dst", "192.0.2.77");
        ns.Exec("ip", "neigh", "add", "192.0.2.78", "lladdr", "02:00:00:00:00:78", "dev", "d0");

        // The FDB entry came first; the first event seen must be the ARP entry, not the AF_BRIDGE one.
        var next = await RouteWatcherKernelTests.Next(watcher.Events, _ => true);
        Assert.Equal(IPAddress.Parse("192.0.2.78"), next.Item!.Address);
    }
}
