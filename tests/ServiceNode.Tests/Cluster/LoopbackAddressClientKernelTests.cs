using System.Net;
using Replicator.Protocol.Native;
using Replicator.ServiceNode.Cluster;
using Replicator.TestSupport;

namespace Replicator.ServiceNode.Tests.Cluster;

[Collection(KernelCollection.Name)]
public sealed class LoopbackAddressClientKernelTests
{
    [KernelTheory]
    [InlineData("203.0.113.7", "203.0.113.7/32")]
    [InlineData("2001:db8::7", "2001:db8::7/128")]
    public void AddDelete_HostAddressOnLo_IdempotentAndVisibleToIp(string text, string shown)
    {
        using var ns = NetworkNamespace.Create("cladr");
        var address = IPAddress.Parse(text);
        using var client = NamespaceThread.Run(ns.Name, () => LoopbackAddressClient.Open());

        Assert.Equal(Errno.SUCCESS, client.Add(address));
        Assert.Equal(Errno.SUCCESS, client.Add(address)); // already there: still success
        Assert.Contains(shown, ns.Exec("ip", "addr", "show", "dev", "lo"), StringComparison.Ordinal);
        Assert.DoesNotContain("tentative", ns.Exec("ip", "addr", "show", "dev", "lo"), StringComparison.Ordinal);

        Assert.Equal(Errno.SUCCESS, client.Delete(address, out bool removed));
        Assert.True(removed);
        Assert.DoesNotContain(shown, ns.Exec("ip", "addr", "show", "dev", "lo"), StringComparison.Ordinal);
        Assert.Equal(Errno.SUCCESS, client.Delete(address, out removed)); // already gone: still success
        Assert.False(removed);
    }
}
