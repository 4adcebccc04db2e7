using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Replicator.Hosting.Addressing;
using Replicator.Hosting.Configuration;
using Replicator.ServiceNode.Addresses;
using Replicator.ServiceNode.Cluster;
using Replicator.ServiceNode.Configuration;
using Replicator.ServiceNode.Registry;
using Replicator.ServiceNode.Replication;
using Replicator.TestSupport;

namespace Replicator.ServiceNode.Tests.Addresses;

[Collection(KernelCollection.Name)]
public sealed class OwnAddressTrackerKernelTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    private static VtepAddress V(string text) => VtepAddress.FromIPAddress(IPAddress.Parse(text));

    private static ReloadableOptions<T> Reloadable<T>(IConfiguration configuration, string section) where T : class, new() =>
        new(configuration, section, [], NullLogger<ReloadableOptions<T>>.Instance);

    [KernelFact]
    public async Task Start_ThenAddressesAddedAndRemoved_TheSetFollows()
    {
        using var ns = NetworkNamespace.Create("ownaddr");
        ns.Exec("ip", "link", "add", "br0", "type", "bridge");
        ns.Exec("ip", "addr", "add", "192.0.2.6/24", "dev", "br0");
        ns.Exec("ip", "link", "set", "br0", "up");
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ServiceNode:ControlAddress"] = "0.0.0.0",
            ["ServiceNode:DataPlane:Address"] = "::ffff:198.51.100.1",
            ["ServiceNode:Cluster:AnycastAddress"] = "203.0.113.1",
        }).Build();
        var own = new OwnAddresses();
        int changes = 0;
        own.Changed += _ => Interlocked.Increment(ref changes);
        using var tracker = new OwnAddressTracker(own, Reloadable<ServiceNodeOptions>(configuration, ServiceNodeOptions.SectionName),
            Reloadable<RegistryOptions>(configuration, RegistryOptions.SectionName), NullLogger<OwnAddressTracker>.Instance,
            Options.Create(new StartupOptions<ReplicationOptions>(configuration, ReplicationOptions.SectionName, []).Value),
            Reloadable<ClusterOptions>(configuration, ClusterOptions.SectionName));
        await NamespaceThread.Run(ns.Name, () => tracker.StartAsync(CancellationToken.None));

        var first = own.Current;
        Assert.Equal(AddressRefusal.Own, first.Classify(V("192.0.2.6")));
        Assert.Equal(AddressRefusal.Broadcast, first.Classify(V("192.0.2.255")));
        Assert.Equal(AddressRefusal.Own, first.Classify(V("198.51.100.1")));
        Assert.Equal(AddressRefusal.Own, first.Classify(V("203.0.113.1")));
        Assert.Equal(AddressRefusal.Own, first.Classify(V("127.0.0.1")));

        ns.Exec("ip", "addr", "add", "198.51.100.77/32", "dev", "br0");
        ns.Exec("ip", "addr", "add", "2001:db8::77/128", "dev", "br0", "nodad");
        Assert.True(WaitFor(() => own.Current.Contains(V("198.51.100.77")) && own.Current.Contains(V("2001:db8::77"))), "added addresses never became own");

        ns.Exec("ip", "addr", "del", "192.0.2.6/24", "dev", "br0");
        Assert.True(WaitFor(() => !own.Current.Contains(V("192.0.2.6")) && !own.Current.Contains(V("192.0.2.255"))), "a removed address stayed own");
        Assert.True(own.Current.Contains(V("203.0.113.1")), "configured addresses stay whatever the kernel says");
        Assert.True(Volatile.Read(ref changes) >= 2);

        await tracker.StopAsync(CancellationToken.None);
    }

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
