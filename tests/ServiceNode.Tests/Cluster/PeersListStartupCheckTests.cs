using Microsoft.Extensions.Configuration;
using Replicator.ServiceNode.Cluster;

namespace Replicator.ServiceNode.Tests.Cluster;

public sealed class PeersListStartupCheckTests
{
    private static IReadOnlyList<string> Check(params (string Key, string Value)[] settings) =>
        new PeersListStartupCheck(new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)))
            .Build()).Check();

    [Fact]
    public void Check_SingleValue_ErrorNamingKeyAndValue()
    {
        var error = Assert.Single(Check(("ServiceNode:Peers", "198.51.100.2")));
        Assert.StartsWith("ServiceNode:Peers = '198.51.100.2': a list is expected", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_ListOrNothing_NoError()
    {
        Assert.Empty(Check(("ServiceNode:Peers:0", "198.51.100.2"), ("ServiceNode:Peers:1", "198.51.100.6")));
        Assert.Empty(Check());
    }
}
