using System.Net;
using System.Net.NetworkInformation;
using System.Text.Json;
using Replicator.Linux.Links;
using Replicator.Linux.Netlink;
using Replicator.TestSupport;

namespace Replicator.Linux.Tests.Links;

[Collection(KernelCollection.Name)]
public class LinkClientKernelTests
{
    [KernelFact]
    public void DumpLinks_MixedDevices_MatchesIpLinkShow()
    {
        using var ns = NetworkNamespace.Create("nl-dump");
        KernelFixture.AddVxlan(ns, "vxlan100", 100, "192.0.2.1");
        KernelFixture.AddVxlan(ns, "vxlan600", 600, "2001:db8::1", remote: "2001:db8::2");
        KernelFixture.AddVxlan(ns, "vxdown", 300, "192.0.2.1", up: false);
        ns.Exec("ip", "link", "add", "vxnolocal", "type", "vxlan", "id", "400", "dstport", "4789", "group", "239.1.1.1", "dev", "lo");
        ns.Exec("ip", "link", "set", "vxnolocal", "up");
        ns.Exec("ip", "link", "add", "br0", "type", "bridge");
        ns.Exec("ip", "link", "set", "vxlan100", "master", "br0");
        ns.Exec("ip", "link", "add", "veth0", "type", "veth", "peer", "name", "veth1");

        var dump = NamespaceThread.Run(ns.Name, () =>
        {
            using var client = LinkClient.Open();
            return client.DumpLinks();
        });

        Assert.True(dump.IsSuccess, dump.Status.ToString());
        using var oracle = JsonDocument.Parse(ns.Exec("ip", "-d", "-j", "link", "show"));
        var expected = oracle.RootElement.EnumerateArray().ToList();
        Assert.Equal(expected.Count, dump.Items.Count);
        var byIndex = dump.Items.ToDictionary(l => l.Index);
        var nameToIndex = expected.ToDictionary(e => e.GetProperty("ifname").GetString()!, e => e.GetProperty("ifindex").GetInt32());
        foreach (var e in expected)
        {
            var link = byIndex[e.GetProperty("ifindex").GetInt32()];
            Assert.Equal(e.GetProperty("ifname").GetString(), link.Name);
            Assert.Equal(e.GetProperty("flags").EnumerateArray().Any(f => f.GetString() == "UP"), link.AdminUp);
            Assert.Equal(e.GetProperty("operstate").GetString(), link.OperState.ToString().ToUpperInvariant());
            Assert.Equal(e.TryGetProperty("master", out var m) ? nameToIndex[m.GetString()!] : 0, link.MasterIndex);
            Assert.Equal(e.GetProperty("mtu").GetInt32(), link.Mtu);
            Assert.Equal(e.GetProperty("link_type").GetString() == "ether", link.IsEthernet);
            if (e.TryGetProperty("address", out var mac) && link.IsEthernet)
            {
                Assert.Equal(PhysicalAddress.Parse(mac.GetString()!.Replace(':', '-').ToUpperInvariant()), link.HardwareAddress);
            }
            string? kind = e.TryGetProperty("linkinfo", out var li) && li.TryGetProperty("info_kind", out var k) ? k.GetString() : null;
            Assert.Equal(kind, link.Kind);
            if (kind != "vxlan")
            {
                Assert.Null(link.Vxlan);
                Assert.False(link.IsVxlan);
                continue;
            }
            var data = li.GetProperty("info_data");
            var vx = Assert.IsType<VxlanAttributes>(link.Vxlan);
            Assert.Equal(data.GetProperty("id").GetUInt32(), vx.Vni);
            Assert.Equal(data.GetProperty("port").GetInt32(), vx.DestinationPort);
            Assert.Equal(Address(data, "local", "local6"), vx.Local);
            Assert.Equal(Address(data, "remote", "remote6") ?? Address(data, "group", "group6"), vx.Remote);
            Assert.Equal(data.TryGetProperty("group", out _) || data.TryGetProperty("group6", out _), vx.RemoteIsGroup);
        }

        Assert.True(Single(dump, "vxlan100").IsUp);
        Assert.True(Single(dump, "vxlan600").IsUp);
        Assert.False(Single(dump, "vxdown").IsUp);
        Assert.True(Single(dump, "vxnolocal").IsUp);
        Assert.Null(Single(dump, "vxnolocal").Vxlan!.Local);
        Assert.True(Single(dump, "vxnolocal").Vxlan!.RemoteIsGroup);
        Assert.False(Single(dump, "veth0").IsVxlan);
        Assert.False(Single(dump, "br0").IsVxlan);
        Assert.Equal(KernelFixture.IfIndex(ns, "br0"), Single(dump, "vxlan100").MasterIndex);
        Assert.Equal(Nl.ARPHRD_LOOPBACK, Single(dump, "lo").LinkType);
        Assert.Equal(Nl.ARPHRD_ETHER, Single(dump, "veth0").LinkType);
    }

    private static LinkInfo Single(DumpResult<LinkInfo> dump, string name) => dump.Items.Single(l => l.Name == name);

    private static IPAddress? Address(JsonElement data, string v4, string v6) =>
        data.TryGetProperty(v4, out var a) ? IPAddress.Parse(a.GetString()!)
        : data.TryGetProperty(v6, out var b) ? IPAddress.Parse(b.GetString()!)
        : null;
}
