using System.Net;
using Replicator.Linux.Addresses;
using Replicator.TestSupport;

namespace Replicator.Linux.Tests.Addresses;

[Collection(KernelCollection.Name)]
public class AddressWatcherKernelTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    [KernelFact]
    public void Start_ExistingAddresses_AreInTheFirstSnapshot()
    {
        using var ns = NetworkNamespace.Create("nl-aw0");
        ns.Exec("ip", "link", "add", "dum0", "type", "bridge");
        ns.Exec("ip", "addr", "add", "192.0.2.6/24", "brd", "+", "dev", "dum0");
        ns.Exec("ip", "link", "set", "lo", "up");

        using var watcher = NamespaceThread.Run(ns.Name, () => AddressWatcher.Start());

        var current = watcher.Current;
        Assert.Contains(current, a => a.Address.Equals(IPAddress.Parse("192.0.2.6")) && a.PrefixLength == 24
            && IPAddress.Parse("192.0.2.255").Equals(a.Broadcast));
        Assert.Contains(current, a => a.Address.Equals(IPAddress.Loopback));
        Assert.Contains(current, a => a.Address.Equals(IPAddress.IPv6Loopback));
    }

    [KernelFact]
    public void Changes_AddAndRemove_TheSnapshotFollows()
    {
        using var ns = NetworkNamespace.Create("nl-aw1");
        ns.Exec("ip", "link", "add", "dum0", "type", "bridge");
        ns.Exec("ip", "link", "set", "dum0", "up");
        int notified = 0;
        using var watcher = NamespaceThread.Run(ns.Name, () => AddressWatcher.Start(_ => Interlocked.Increment(ref notified)));
        var v4 = IPAddress.Parse("198.51.100.7");
        var v6 = IPAddress.Parse("2001:db8::7");

        ns.Exec("ip", "addr", "add", "198.51.100.7/32", "dev", "dum0");
        ns.Exec("ip", "addr", "add", "2001:db8::7/128", "dev", "dum0", "nodad");
        Assert.True(WaitFor(() => Has(watcher, v4) && Has(watcher, v6)), "added addresses never appeared");
        Assert.True(Volatile.Read(ref notified) > 0);

        ns.Exec("ip", "addr", "del", "198.51.100.7/32", "dev", "dum0");
        Assert.True(WaitFor(() => !Has(watcher, v4)), "removed IPv4 address stayed");
        Assert.True(Has(watcher, v6));

        // Deleting the device takes its addresses with it.
        ns.Exec("ip", "link", "del", "dum0");
        Assert.True(WaitFor(() => !Has(watcher, v6)), "the device's IPv6 address stayed");
    }

    [KernelFact]
    public void Changes_BurstBeyondATinyBuffer_ConvergesByResync()
    {
        using var ns = NetworkNamespace.Create("nl-aw2");
        ns.Exec("ip", "link", "add", "dum0", "type", "bridge");
        // A buffer far too small for a burst: the kernel drops notifications (ENOBUFS) and the
        // watcher must dump again to end up right.
        using var watcher = NamespaceThread.Run(ns.Name, () => AddressWatcher.Start(receiveBufferBytes: 1));
        string batch = string.Join("\n", Enumerable.Range(1, 250).Select(i => $"addr add 203.0.113.{i}/32 dev dum0"));
        string file = Path.Combine(Path.GetTempPath(), $"aw-batch-{Environment.ProcessId}.txt");
        File.WriteAllText(file, batch + "\n");
        try
        {
            ns.Exec("ip", "-batch", file);
        }
        finally
        {
            File.Delete(file);
        }

        Assert.True(WaitFor(() => watcher.Current.Count(a => a.Address.ToString().StartsWith("203.0.113.", StringComparison.Ordinal)) == 250),
            $"saw {watcher.Current.Count(a => a.Address.ToString().StartsWith("203.0.113.", StringComparison.Ordinal))} of 250 after {watcher.Resyncs} resyncs");
    }

    [KernelFact]
    public void Dispose_StopsPromptly()
    {
        using var ns = NetworkNamespace.Create("nl-aw3");
        var watcher = NamespaceThread.Run(ns.Name, () => AddressWatcher.Start());
        var started = DateTime.UtcNow;
        watcher.Dispose();
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(5));
    }

    private static bool Has(AddressWatcher watcher, IPAddress address) => watcher.Current.Any(a => a.Address.Equals(address));

    private static bool WaitFor(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Bound;
        while (DateTime.UtcNow < deadline)
        {
            if (condition()) return true;
            Thread.Sleep(20);
        }
        return condition();
    }
}
