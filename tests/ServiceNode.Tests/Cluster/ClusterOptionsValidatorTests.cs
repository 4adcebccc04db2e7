using Replicator.Hosting.Configuration;
using Replicator.ServiceNode.Cluster;
using Replicator.ServiceNode.Configuration;

namespace Replicator.ServiceNode.Tests.Cluster;

public sealed class ClusterOptionsValidatorTests
{
    private readonly ClusterOptionsValidator _validator = new();

    [Fact]
    public void Validate_Defaults_Succeeds()
    {
        Assert.True(_validator.Validate(null, new ClusterOptions()).Succeeded);
    }

    [Fact]
    public void Validate_Cluster_Succeeds()
    {
        var options = new ClusterOptions
        {
            Peers = ["198.51.100.2", "[2001:db8::2]:10001"],
            AnycastAddress = "203.0.113.1",
            InstallAnycast = true,
        };
        Assert.True(_validator.Validate(null, options).Succeeded);
    }

    [Fact]
    public void Validate_EveryBadKey_AllReportedWithKeyAndValue()
    {
        var options = new ClusterOptions
        {
            Peers = ["peer.example", "198.51.100.2", "198.51.100.2:10009"],
            AnycastAddress = "224.0.0.5",
            InstallAnycast = true,
            SyncPort = 70000,
            SyncTimeout = TimeSpan.Zero,
            KeepaliveInterval = TimeSpan.FromHours(1),
        };
        var result = _validator.Validate(null, options);
        Assert.True(result.Failed);
        var failures = result.Failures!.ToList();
        Assert.Contains(failures, f => f.StartsWith("ServiceNode:Cluster:Peers:0 = 'peer.example'", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("ServiceNode:Cluster:Peers:2 = '198.51.100.2:10009'", StringComparison.Ordinal) && f.Contains("twice", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("ServiceNode:Cluster:AnycastAddress = '224.0.0.5'", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("ServiceNode:Cluster:SyncPort = '70000'", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("ServiceNode:Cluster:SyncTimeout = '00:00:00'", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("ServiceNode:Cluster:KeepaliveInterval = '01:00:00'", StringComparison.Ordinal));
        Assert.Equal(6, failures.Count);
    }

    [Fact]
    public void Validate_InstallWithoutAddress_Fails()
    {
        var result = _validator.Validate(null, new ClusterOptions { InstallAnycast = true, AnycastAddress = " " });
        Assert.Contains(result.Failures!, f => f.StartsWith("ServiceNode:Cluster:InstallAnycast", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_AnycastListedAsPeer_Fails()
    {
        var result = _validator.Validate(null, new ClusterOptions { Peers = ["203.0.113.1"], AnycastAddress = "203.0.113.1" });
        Assert.Contains(result.Failures!, f => f.StartsWith("ServiceNode:Cluster:AnycastAddress = '203.0.113.1'", StringComparison.Ordinal));
    }

    private sealed class Fixed(ServiceNodeOptions value) : IReloadableOptions<ServiceNodeOptions>
    {
        public ServiceNodeOptions Current => value;

        public event Action<ServiceNodeOptions>? Changed { add { } remove { } }
    }

    [Theory]
    [InlineData("0.0.0.0", "203.0.113.1", false)]
    [InlineData("::", "2001:db8:ffff::1", false)]
    [InlineData("198.51.100.2", "203.0.113.1", true)]
    [InlineData("0.0.0.0", "", true)]          // no anycast: a wildcard is fine
    [InlineData("203.0.113.1", "203.0.113.1", true)] // the anycast itself: one socket
    public void Validate_WildcardControlAddressWithAnycast_Fails(string controlAddress, string anycast, bool valid)
    {
        var validator = new ClusterOptionsValidator(new Fixed(new ServiceNodeOptions { ControlAddress = controlAddress }));

        var result = validator.Validate(null, new ClusterOptions { AnycastAddress = anycast });

        Assert.Equal(valid, result.Succeeded);
        if (!valid)
            Assert.StartsWith($"ServiceNode:ControlAddress = '{controlAddress}': must be this node's own unicast address", Assert.Single(result.Failures!), StringComparison.Ordinal);
    }
}
