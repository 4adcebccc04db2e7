using Replicator.Hosting.Logging;

namespace Replicator.ServiceNode.Tests;

public sealed class ServiceNodeEventIdsTests
{
    [Fact]
    public void Check_ServiceNodeAssembly_EveryIdUniqueAndInItsBlock()
    {
        var assembly = typeof(ServiceNodeEventIds).Assembly;
        Assert.NotEmpty(EventIdRanges.LogMethods(assembly));
        Assert.Empty(EventIdRanges.Check(assembly));
    }
}
