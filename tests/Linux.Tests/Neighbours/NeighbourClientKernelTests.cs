using System.Net;
using System.Net.NetworkInformation;
using Replicator.Linux.Neighbours;
using Replicator.Linux.Netlink;
using Replicator.TestSupport;

namespace Replicator.Linux.Tests.Neighbours;

[Collection(KernelCollection.Name)]
public class NeighbourClientKernelTests
{
    [KernelFact]
    public void DumpNeighbours_IPv4AndIPv6_ReportAddressMacAndState()
    {
        using var ns = NetworkNamespace.Create("nb-dump");
        KernelFixture.AddVeth(ns, "d0", "d1", "192.0.2.1/24", "2001:db8:1::1/64");
        ns.Exec("ip", "neigh", "add", "192.0.2.9", "lladdr", "02:00:00:00:00:09", "dev", "d0", "nud", "permanent");
        ns.Exec("ip", "-6", "neigh", "add", "2001:db8:1::9", "lladdr", "02:00:00:00:00:69", "dev", "d0", "nud", "reachable");
        ns.Exec("ip", "neigh", "add", "192.0.2.10", "dev", "d0", "nud", "failed");
        int d0 = KernelFixture.IfIndex(ns, "d0");

        var dump = NamespaceThread.Run(ns.Name, () =>
        {
            using var client = NeighbourClient.Open();
            return client.DumpNeighbours();
        });

        Assert.True(dump.IsSuccess, dump.Status.ToString());
        var v4 = Assert.Single(dump.Items, n => n.Address.Equals(IPAddress.Parse("192.0.2.9")));
        Assert.Equal(d0, v4.IfIndex);
        Assert.Equal(PhysicalAddress.Parse("02-00-00-00-00-09"), v4.LinkLayerAddress);
        Assert.Equal(Nl.NUD_PERMANENT, v4.State);
        Assert.True(v4.IsUsable);
        var v6 = Assert.Single(dump.Items, n => n.Address.Equals(IPAddress.Parse("2001:db8:1::9")));
        Assert.Equal(PhysicalAddress.Parse("02-00-00-00-00-69"), v6.LinkLayerAddress);
        Assert.True(v6.IsValid);
        var failed = Assert.Single(dump.Items, n => n.Address.Equals(IPAddress.Parse("192.0.2.10")));
        Assert.False(failed.IsUsable);
        Assert.Null(failed.LinkLayerAddress);
    }
}
