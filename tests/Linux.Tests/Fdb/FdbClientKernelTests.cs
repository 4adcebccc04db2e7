using System.Net;
using Replicator.Linux.Fdb;
using Replicator.TestSupport;

namespace Replicator.Linux.Tests.Fdb;

[Collection(KernelCollection.Name)]
public class FdbClientKernelTests
{
    [KernelFact]
    public void AppendAndDelete_Ipv4AndIpv6_AgreeWithBridgeFdbShow()
    {
        using var ns = NetworkNamespace.Create("nl-fdb");
        KernelFixture.AddVxlan(ns, "vxlan100", 100, "192.0.2.1");
        KernelFixture.AddVxlan(ns, "vxlan600", 600, "2001:db8::1");
        KernelFixture.AddVxlan(ns, "vxother", 200, "192.0.2.1");
        int v4 = KernelFixture.IfIndex(ns, "vxlan100");
        int v6 = KernelFixture.IfIndex(ns, "vxlan600");
        ns.Exec("bridge", "fdb", "append", "00:00:00:00:00:00", "dev", "vxother", "dst", "192.0.2.2");
        using var fdb = NamespaceThread.Run(ns.Name, () => FdbClient.Open());

        Assert.True(fdb.AppendDefaultDestination(v4, IPAddress.Parse("192.0.2.2")).IsSuccess);
        Assert.True(fdb.AppendDefaultDestination(v4, IPAddress.Parse("192.0.2.3")).IsSuccess);
        Assert.True(fdb.AppendDefaultDestination(v6, IPAddress.Parse("2001:db8::2")).IsSuccess);
        Assert.True(fdb.AppendDefaultDestination(v6, IPAddress.Parse("2001:db8::3")).IsSuccess);

        Assert.Equal(["192.0.2.2", "192.0.2.3"], KernelFixture.DefaultDestinations(ns, "vxlan100"));
        Assert.Equal(["2001:db8::2", "2001:db8::3"], KernelFixture.DefaultDestinations(ns, "vxlan600"));
        Assert.Equal(["192.0.2.2", "192.0.2.3"], Dump(fdb, v4));
        Assert.Equal(["2001:db8::2", "2001:db8::3"], Dump(fdb, v6));

        Assert.True(fdb.DeleteDefaultDestination(v4, IPAddress.Parse("192.0.2.2")).IsSuccess);
        Assert.True(fdb.DeleteDefaultDestination(v6, IPAddress.Parse("2001:db8::3")).IsSuccess);
        Assert.Equal(["192.0.2.3"], KernelFixture.DefaultDestinations(ns, "vxlan100"));
        Assert.Equal(["2001:db8::2"], KernelFixture.DefaultDestinations(ns, "vxlan600"));
        Assert.Equal(["192.0.2.3"], Dump(fdb, v4));
        Assert.Equal(["2001:db8::2"], Dump(fdb, v6));

        // The entry on the device we never touched is still there.
        Assert.Equal(["192.0.2.2"], KernelFixture.DefaultDestinations(ns, "vxother"));
    }

    [KernelFact]
    public void Append_Twice_IsSuccessAndOneEntry()
    {
        using var ns = NetworkNamespace.Create("nl-fdb2");
        KernelFixture.AddVxlan(ns, "vxlan100", 100, "192.0.2.1");
        int index = KernelFixture.IfIndex(ns, "vxlan100");
        using var fdb = NamespaceThread.Run(ns.Name, () => FdbClient.Open());

        Assert.True(fdb.AppendDefaultDestination(index, IPAddress.Parse("198.51.100.7")).IsSuccess);
        var again = fdb.AppendDefaultDestination(index, IPAddress.Parse("198.51.100.7"));

        Assert.True(again.IsSuccess, again.ToString());
        Assert.Equal(["198.51.100.7"], KernelFixture.DefaultDestinations(ns, "vxlan100"));
    }

    [KernelFact]
    public void Delete_Missing_IsSuccess()
    {
        using var ns = NetworkNamespace.Create("nl-fdb3");
        KernelFixture.AddVxlan(ns, "vxlan100", 100, "192.0.2.1");
        int index = KernelFixture.IfIndex(ns, "vxlan100");
        using var fdb = NamespaceThread.Run(ns.Name, () => FdbClient.Open());

        var noEntry = fdb.DeleteDefaultDestination(index, IPAddress.Parse("203.0.113.9"));
        Assert.True(noEntry.IsSuccess, noEntry.ToString());
        Assert.True(noEntry.Unchanged);

        fdb.AppendDefaultDestination(index, IPAddress.Parse("203.0.113.1"));
        var otherDst = fdb.DeleteDefaultDestination(index, IPAddress.Parse("203.0.113.9"));
        Assert.True(otherDst.IsSuccess, otherDst.ToString());
        Assert.Equal(["203.0.113.1"], KernelFixture.DefaultDestinations(ns, "vxlan100"));
    }

    [KernelFact]
    public void Append_UnknownDevice_ReturnsTypedError()
    {
        using var ns = NetworkNamespace.Create("nl-fdb4");
        using var fdb = NamespaceThread.Run(ns.Name, () => FdbClient.Open());

        var result = fdb.AppendDefaultDestination(9999, IPAddress.Parse("192.0.2.2"));

        Assert.False(result.IsSuccess);
        Assert.Equal(Linux.Native.Errno.ENODEV, result.Errno);
    }

    [KernelFact]
    public void DumpDefaultDestinations_DeviceWithBridgeEntries_ReturnsOnlyDefaultRemotes()
    {
        using var ns = NetworkNamespace.Create("nl-fdb5");
        KernelFixture.AddVxlan(ns, "vxlan100", 100, "192.0.2.1");
        ns.Exec("ip", "link", "add", "br0", "type", "bridge");
        ns.Exec("ip", "link", "set", "vxlan100", "master", "br0");
        ns.Exec("bridge", "fdb", "add", "02:00:00:00:00:01", "dev", "vxlan100", "dst", "192.0.2.5");
        int index = KernelFixture.IfIndex(ns, "vxlan100");
        using var fdb = NamespaceThread.Run(ns.Name, () => FdbClient.Open());
        fdb.AppendDefaultDestination(index, IPAddress.Parse("192.0.2.6"));

        var dump = fdb.DumpDefaultDestinations(index);

        Assert.True(dump.IsSuccess, dump.Status.ToString());
        var entry = Assert.Single(dump.Items);
        Assert.Equal(IPAddress.Parse("192.0.2.6"), entry.Destination);
        Assert.Equal(index, entry.IfIndex);
    }

    [KernelFact]
    public void DumpDefaultDestinations_UnknownDevice_ReturnsEmptySuccess()
    {
        using var ns = NetworkNamespace.Create("nl-fdb6");
        using var fdb = NamespaceThread.Run(ns.Name, () => FdbClient.Open());

        var dump = fdb.DumpDefaultDestinations(9999);

        // A device deleted between its notification and the dump: the kernel answers an empty dump (6.18).
        Assert.True(dump.IsSuccess, dump.Status.ToString());
        Assert.Empty(dump.Items);
    }

    private static List<string> Dump(FdbClient fdb, int index)
    {
        var dump = fdb.DumpDefaultDestinations(index);
        Assert.True(dump.IsSuccess, dump.Status.ToString());
        return dump.Items.Select(e => e.Destination.ToString()).Order().ToList();
    }
}
