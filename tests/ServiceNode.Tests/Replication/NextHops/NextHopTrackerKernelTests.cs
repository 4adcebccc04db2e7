using System.Diagnostics;
using System.Net;
using Replicator.ServiceNode.Replication.NextHops;
using Replicator.TestSupport;
using Xunit.Abstractions;

namespace Replicator.ServiceNode.Tests.Replication.NextHops;

/// <summary>
/// The tracker against the real kernel: every change is made with iproute2 in the lab's namespace and the
/// tracker's snapshot is awaited with a generous deadline (no timing is asserted; the follow time is measured
/// and printed by <see cref="NeighbourReplace_NewMac_FollowTimeMeasured"/>).
/// </summary>
[Collection(KernelCollection.Name)]
public sealed class NextHopTrackerKernelTests(ITestOutputHelper output)
{
    [KernelFact]
    public void DestinationsAdded_ConnectedAndViaGateway_UsableWithMacsIfIndexAndMtu()
    {
        using var lab = new NextHopLab("nh-add");
        lab.Exec("route", "add", "198.51.100.0/24", "via", "192.0.2.254", "dev", "d0", "mtu", "1400");
        lab.Exec("neigh", "add", "192.0.2.7", "lladdr", "02:00:00:00:00:07", "dev", "d0", "nud", "permanent");
        lab.Exec("neigh", "add", "192.0.2.254", "lladdr", "02:00:00:00:00:fe", "dev", "d0", "nud", "reachable");
        long version = lab.Tracker.Current.Version;

        lab.SetMembers("192.0.2.7", "198.51.100.9");

        var connected = lab.WaitFor("192.0.2.7", h => h.IsUsable);
        var routed = lab.WaitFor("198.51.100.9", h => h.IsUsable);
        Assert.True(lab.Tracker.Current.Version > version);
        Assert.Equal(2, lab.Tracker.Current.Count);
        Assert.Equal(lab.IfIndex("d0"), connected.InterfaceIndex);
        Assert.Equal(lab.Mac("d0"), connected.SourceMac);
        Assert.Equal(NextHopLab.Pack("02:00:00:00:00:07"), connected.DestinationMac);
        Assert.Null(connected.Gateway);
        Assert.Equal(1500, connected.Mtu);
        Assert.Equal(lab.IfIndex("d0"), routed.InterfaceIndex);
        Assert.Equal(IPAddress.Parse("192.0.2.254"), routed.Gateway);
        Assert.Equal(NextHopLab.Pack("02:00:00:00:00:fe"), routed.DestinationMac);
        Assert.Equal(1400, routed.Mtu);
    }

    [KernelFact]
    public void DestinationAdded_IPv6ViaGateway_Usable()
    {
        using var lab = new NextHopLab("nh-v6");
        lab.Exec("-6", "route", "add", "2001:db8:2::/64", "via", "2001:db8:1::fe", "dev", "d0");
        lab.Exec("-6", "neigh", "add", "2001:db8:1::fe", "lladdr", "02:00:00:00:06:fe", "dev", "d0", "nud", "permanent");

        lab.SetMembers("2001:db8:2::9");

        var hop = lab.WaitFor("2001:db8:2::9", h => h.IsUsable);
        Assert.Equal(lab.IfIndex("d0"), hop.InterfaceIndex);
        Assert.Equal(IPAddress.Parse("2001:db8:1::fe"), hop.Gateway);
        Assert.Equal(NextHopLab.Pack("02:00:00:00:06:fe"), hop.DestinationMac);
        Assert.Equal(lab.Mac("d0"), hop.SourceMac);
    }

    [KernelFact]
    public void NeighbourMissing_ThenResolved_NoNeighbourThenUsable()
    {
        using var lab = new NextHopLab("nh-nonb");
        lab.SetMembers("192.0.2.8");

        var before = lab.WaitFor("192.0.2.8", h => h.State == NextHopState.NoNeighbour);
        Assert.Equal(lab.IfIndex("d0"), before.InterfaceIndex);

        lab.Exec("neigh", "add", "192.0.2.8", "lladdr", "02:00:00:00:00:08", "dev", "d0", "nud", "stale");
        var after = lab.WaitFor("192.0.2.8", h => h.IsUsable);
        Assert.Equal(NextHopLab.Pack("02:00:00:00:00:08"), after.DestinationMac);
    }

    [KernelFact]
    public void NeighbourFailedOrDeleted_FallsBackToNoNeighbour()
    {
        using var lab = new NextHopLab("nh-nbdel");
        lab.Exec("neigh", "add", "192.0.2.7", "lladdr", "02:00:00:00:00:07", "dev", "d0", "nud", "reachable");
        lab.SetMembers("192.0.2.7");
        lab.WaitFor("192.0.2.7", h => h.IsUsable);

        lab.Exec("neigh", "replace", "192.0.2.7", "dev", "d0", "nud", "failed");
        lab.WaitFor("192.0.2.7", h => h.State == NextHopState.NoNeighbour);

        lab.Exec("neigh", "replace", "192.0.2.7", "lladdr", "02:00:00:00:00:17", "dev", "d0", "nud", "permanent");
        lab.WaitFor("192.0.2.7", h => h.IsUsable && h.DestinationMac == NextHopLab.Pack("02:00:00:00:00:17"));

        lab.Exec("neigh", "del", "192.0.2.7", "dev", "d0");
        lab.WaitFor("192.0.2.7", h => h.State == NextHopState.NoNeighbour);
    }

    [KernelFact]
    public void RouteMoved_ToAnotherInterfaceAndGateway_Followed()
    {
        using var lab = new NextHopLab("nh-move");
        lab.Exec("route", "add", "198.51.100.0/24", "via", "192.0.2.254", "dev", "d0");
        lab.Exec("neigh", "add", "192.0.2.254", "lladdr", "02:00:00:00:00:fe", "dev", "d0", "nud", "permanent");
        lab.Exec("neigh", "add", "203.0.113.254", "lladdr", "02:00:00:00:71:fe", "dev", "e0", "nud", "permanent");
        lab.SetMembers("198.51.100.9");
        lab.WaitFor("198.51.100.9", h => h.IsUsable && h.InterfaceIndex == lab.IfIndex("d0"));

        lab.Exec("route", "replace", "198.51.100.0/24", "via", "203.0.113.254", "dev", "e0");

        var moved = lab.WaitFor("198.51.100.9", h => h.IsUsable && h.InterfaceIndex == lab.IfIndex("e0"));
        Assert.Equal(IPAddress.Parse("203.0.113.254"), moved.Gateway);
        Assert.Equal(NextHopLab.Pack("02:00:00:00:71:fe"), moved.DestinationMac);
        Assert.Equal(lab.Mac("e0"), moved.SourceMac);

        // A more specific route in front of it moves the destination too (its prefix covers it).
        lab.Exec("route", "add", "198.51.100.9/32", "via", "192.0.2.254", "dev", "d0");
        lab.WaitFor("198.51.100.9", h => h.IsUsable && h.InterfaceIndex == lab.IfIndex("d0"));

        lab.Exec("route", "del", "198.51.100.9/32");
        lab.Exec("route", "del", "198.51.100.0/24");
        lab.WaitFor("198.51.100.9", h => h.State == NextHopState.NoRoute);

        lab.Exec("route", "add", "unreachable", "198.51.100.0/24");
        lab.WaitFor("198.51.100.9", h => h.State == NextHopState.NoRoute);
    }

    [KernelFact]
    public void MtuChanged_OnEgressLink_Followed()
    {
        using var lab = new NextHopLab("nh-mtu");
        lab.Exec("neigh", "add", "192.0.2.7", "lladdr", "02:00:00:00:00:07", "dev", "d0", "nud", "permanent");
        lab.SetMembers("192.0.2.7");
        lab.WaitFor("192.0.2.7", h => h.IsUsable && h.Mtu == 1500);

        lab.Exec("link", "set", "dev", "d0", "mtu", "1400");

        lab.WaitFor("192.0.2.7", h => h.IsUsable && h.Mtu == 1400);
    }

    [KernelFact]
    public void RouteOverLoopback_UnsupportedInterface()
    {
        using var lab = new NextHopLab("nh-lo");
        lab.Exec("link", "set", "lo", "up");
        lab.Exec("route", "add", "198.51.100.0/24", "dev", "lo");

        lab.SetMembers("198.51.100.9");

        var hop = lab.WaitFor("198.51.100.9", h => h.State != NextHopState.Pending);
        Assert.Equal(NextHopState.UnsupportedInterface, hop.State);
        Assert.Equal(1, hop.InterfaceIndex);
    }

    [KernelFact]
    public void MemberRemoved_LeavesTheSnapshot()
    {
        using var lab = new NextHopLab("nh-rm");
        lab.SetMembers("192.0.2.7", "192.0.2.8");
        lab.WaitFor("192.0.2.8", _ => true);

        lab.SetMembers("192.0.2.7");

        var clock = Stopwatch.StartNew();
        while (lab.Tracker.Current.TryGet(IPAddress.Parse("192.0.2.8"), out _) && clock.Elapsed < NextHopLab.Deadline) Thread.Sleep(5);
        Assert.False(lab.Tracker.Current.TryGet(IPAddress.Parse("192.0.2.8"), out _));
        Assert.True(lab.Tracker.Current.TryGet(IPAddress.Parse("192.0.2.7"), out _));
    }

    [KernelFact]
    public void UnchangedTables_PublishNoNewSnapshot()
    {
        using var lab = new NextHopLab("nh-quiet");
        lab.Exec("neigh", "add", "192.0.2.7", "lladdr", "02:00:00:00:00:07", "dev", "d0", "nud", "permanent");
        lab.SetMembers("192.0.2.7");
        lab.WaitFor("192.0.2.7", h => h.IsUsable);
        long version = lab.Tracker.Current.Version;

        // Events that touch nothing the destination uses: another neighbour, a route elsewhere.
        lab.Exec("neigh", "add", "203.0.113.9", "lladdr", "02:00:00:00:71:09", "dev", "e0", "nud", "permanent");
        lab.Exec("route", "add", "198.51.100.0/24", "via", "203.0.113.9");
        Thread.Sleep(300);

        Assert.Equal(version, lab.Tracker.Current.Version);
    }

    [KernelFact]
    public void NeighbourReplace_NewMac_FollowTimeMeasured()
    {
        using var lab = new NextHopLab("nh-time");
        lab.Exec("route", "add", "198.51.100.0/24", "via", "192.0.2.254", "dev", "d0");
        lab.Exec("neigh", "add", "192.0.2.254", "lladdr", "02:00:00:00:00:00", "dev", "d0", "nud", "reachable");
        lab.SetMembers("198.51.100.9");
        lab.WaitFor("198.51.100.9", h => h.IsUsable);

        var fromStart = new List<double>();
        var fromReturn = new List<double>();
        for (int i = 1; i <= 9; i++)
        {
            string mac = $"02:00:00:00:01:{i:x2}";
            long start = Stopwatch.GetTimestamp();
            lab.Exec("neigh", "replace", "192.0.2.254", "lladdr", mac, "dev", "d0", "nud", "reachable");
            long returned = Stopwatch.GetTimestamp();
            lab.WaitFor("198.51.100.9", h => h.DestinationMac == NextHopLab.Pack(mac));
            long seen = Stopwatch.GetTimestamp();
            fromStart.Add(Stopwatch.GetElapsedTime(start, seen).TotalMilliseconds);
            fromReturn.Add(Stopwatch.GetElapsedTime(returned, seen).TotalMilliseconds);
        }
        output.WriteLine($"ip neigh replace -> new snapshot, median of 9: {Median(fromStart):F1} ms from the command's start, "
            + $"{Median(fromReturn):F1} ms from its return (all from return: {string.Join(", ", fromReturn.Select(v => v.ToString("F1")))})");
    }

    [KernelFact]
    public void NotificationsLost_ResyncsAndConverges()
    {
        // A receive buffer far too small for a burst makes the kernel drop notifications (ENOBUFS).
        var settings = NextHopTrackerSettings.Default with { ReceiveBufferBytes = 1 };
        using var lab = new NextHopLab("nh-lost", settings);
        lab.Exec("neigh", "add", "192.0.2.7", "lladdr", "02:00:00:00:00:07", "dev", "d0", "nud", "permanent");
        lab.SetMembers("192.0.2.7");
        lab.WaitFor("192.0.2.7", h => h.IsUsable);

        // Whether a burst overflows depends on how fast the watcher drains its socket on a loaded
        // machine, so bursts repeat (at most 5) until one does; the destination's last MAC must win.
        string last = "";
        for (int burst = 0; burst < 5 && lab.Tracker.Counters.ResyncsFor(NextHopResyncReason.NotificationsLost) == 0; burst++)
        {
            last = $"02:00:00:00:{burst + 1:x2}:07";
            lab.Batch(Enumerable.Range(0, 400).Select(i => $"neigh replace 192.0.2.{10 + i % 200} lladdr 02:00:00:00:{i % 256:x2}:{i / 256:x2} dev d{i % 2} nud permanent")
                .Append($"neigh replace 192.0.2.7 lladdr {last} dev d0 nud permanent"));
            string expected = last;
            lab.WaitFor("192.0.2.7", h => h.DestinationMac == NextHopLab.Pack(expected));
        }

        Assert.True(lab.Tracker.Counters.ResyncsFor(NextHopResyncReason.NotificationsLost) > 0, "no burst overflowed the watchers' sockets");
        lab.WaitFor("192.0.2.7", h => h.IsUsable && h.DestinationMac == NextHopLab.Pack(last));
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);
}
