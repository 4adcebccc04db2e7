using System.Net;
using System.Text.Json;
using Replicator.Linux.Addresses;
using Replicator.TestSupport;

namespace Replicator.Linux.Tests.Addresses;

[Collection(KernelCollection.Name)]
public class AddressClientKernelTests
{
    [KernelTheory]
    [InlineData("192.0.2.10", 32)]
    [InlineData("2001:db8::10", 128)]
    public void AddAndDelete_OnLoopback_AgreeWithIpAddrShow(string text, int prefix)
    {
        using var ns = NetworkNamespace.Create("nl-addr");
        int lo = AddressClient.LoopbackIfIndex;
        var address = IPAddress.Parse(text);
        using var client = NamespaceThread.Run(ns.Name, () => AddressClient.Open());

        var added = client.Add(lo, address, prefix);
        Assert.True(added.IsSuccess, added.ToString());
        Assert.False(added.Unchanged);
        Assert.Contains($"{text}/{prefix}", Addresses(ns));

        var again = client.Add(lo, address, prefix);
        Assert.True(again.IsSuccess, again.ToString());
        Assert.True(again.Unchanged);

        var deleted = client.Delete(lo, address, prefix);
        Assert.True(deleted.IsSuccess, deleted.ToString());
        Assert.DoesNotContain($"{text}/{prefix}", Addresses(ns));

        var missing = client.Delete(lo, address, prefix);
        Assert.True(missing.IsSuccess, missing.ToString());
        Assert.True(missing.Unchanged);
    }

    [KernelTheory]
    [InlineData("203.0.113.7", "203.0.113.7/32")]
    [InlineData("2001:db8::7", "2001:db8::7/128")]
    public void AddHostAndDeleteHost_OnLoopback_IdempotentUsableAndVisibleToIp(string text, string shown)
    {
        using var ns = NetworkNamespace.Create("cladr");
        var address = IPAddress.Parse(text);
        using var client = NamespaceThread.Run(ns.Name, () => AddressClient.Open());

        Assert.True(client.AddHost(AddressClient.LoopbackIfIndex, address).IsSuccess);
        Assert.True(client.AddHost(AddressClient.LoopbackIfIndex, address).Unchanged); // already there: still success
        Assert.Contains(shown, ns.Exec("ip", "addr", "show", "dev", "lo"), StringComparison.Ordinal);
        Assert.DoesNotContain("tentative", ns.Exec("ip", "addr", "show", "dev", "lo"), StringComparison.Ordinal);

        var removed = client.DeleteHost(AddressClient.LoopbackIfIndex, address);
        Assert.True(removed.IsSuccess, removed.ToString());
        Assert.False(removed.Unchanged);
        Assert.DoesNotContain(shown, ns.Exec("ip", "addr", "show", "dev", "lo"), StringComparison.Ordinal);
        var absent = client.DeleteHost(AddressClient.LoopbackIfIndex, address); // already gone: still success
        Assert.True(absent.IsSuccess, absent.ToString());
        Assert.True(absent.Unchanged);
    }

    [Theory]
    [InlineData("203.0.113.7", 32)]
    [InlineData("::ffff:203.0.113.7", 32)]
    [InlineData("2001:db8::7", 128)]
    public void HostPrefixLength_EachFamily_IsTheHostPrefix(string text, int expected) =>
        Assert.Equal(expected, AddressClient.HostPrefixLength(IPAddress.Parse(text)));

    private static List<string> Addresses(NetworkNamespace ns)
    {
        using var doc = JsonDocument.Parse(ns.Exec("ip", "-j", "addr", "show", "dev", "lo"));
        return doc.RootElement[0].GetProperty("addr_info").EnumerateArray()
            .Select(a => $"{a.GetProperty("local").GetString()}/{a.GetProperty("prefixlen").GetInt32()}")
            .ToList();
    }
}
