using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Replicator.ServiceNode.Addresses;
using Replicator.ServiceNode.Configuration;
using Replicator.ServiceNode.Registry;
using Replicator.TestSupport.Configuration;

namespace Replicator.ServiceNode.Tests.Registry;

/// <summary>Registrations from the network wait in a bounded queue: a flood within the rate limits cannot grow it without end.</summary>
public sealed class RegistryLoopQueueTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("registry-queue-");
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();

    public void Dispose()
    {
        _services.Dispose();
        _dir.Delete(recursive: true);
    }

    [Fact]
    public void TryPostRegistration_LoopNotKeepingUp_RefusedPastTheCapacity()
    {
        var time = new FakeTimeProvider();
        var options = TestOptions.Reloadable<RegistryOptions>(RegistryOptions.SectionName);
        var registry = new ServiceNode.Registry.Registry(new RegistryLimits(1000, 1000, TimeSpan.FromSeconds(90)), time, new MemberTable());
        using var loop = new RegistryLoop(registry, options, new StaticEntriesStore(Path.Combine(_dir.FullName, "static")), [],
            new RegistryMetrics(_services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>()), time, new OwnAddresses(),
            NullLogger<RegistryLoop>.Instance);

        // Not started: nothing is applied, so the queue only fills.
        int accepted = 0;
        for (int i = 0; i < RegistryLoop.RegistrationQueueCapacity + 10; i++)
            if (loop.TryPostRegistration(static _ => { })) accepted++;

        Assert.Equal(RegistryLoop.RegistrationQueueCapacity, accepted);
        Assert.True(loop.Post(static _ => { })); // the node's own work is never refused
    }
}
