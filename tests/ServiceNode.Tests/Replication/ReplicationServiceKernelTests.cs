using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Replicator.ServiceNode.Replication;
using Replicator.TestSupport;

namespace Replicator.ServiceNode.Tests.Replication;

/// <summary>How the service wires the packet path: a next-hop tracker before the workers when Transmit asks for it, none otherwise.</summary>
[Collection(KernelCollection.Name)]
public class ReplicationServiceKernelTests
{
    [KernelTheory]
    [InlineData(null, "Preserve", true)] // the default, Auto
    [InlineData("Packet", "Preserve", true)]
    [InlineData("Raw", "Preserve", false)]
    [InlineData("Auto", "Node", false)]
    public void StartAsync_Transmit_TrackerAndPacketSocketsOnlyWhenAsked(string? transmit, string sourceMode, bool packet)
    {
        using var ns = NetworkNamespace.Create("rsvc");
        var settings = new Dictionary<string, string?>
        {
            ["ServiceNode:DataPlane:Address"] = "127.0.0.1",
            ["ServiceNode:DataPlane:Workers"] = "2",
            ["ServiceNode:DataPlane:SourceMode"] = sourceMode,
            ["ServiceNode:DataPlane:Transmit"] = transmit,
        };
        var config = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        using var provider = new ServiceCollection().AddLogging().AddReplication(config).BuildServiceProvider();
        var service = provider.GetServices<IHostedService>().OfType<ReplicationService>().Single();
        try
        {
            ns.Enter(() => service.StartAsync(CancellationToken.None).IsCompleted);
            Assert.Equal(2, service.Workers.Count);
            Assert.Equal(packet, service.NextHops is not null);
            Assert.All(service.Workers, w => Assert.Equal(packet, w.HasPacketPath));
        }
        finally
        {
            service.StopAsync(CancellationToken.None).GetAwaiter().GetResult();
        }
        Assert.Empty(service.Workers);
        Assert.Null(service.NextHops);
    }
}
