using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Replicator.ServiceNode.Addresses;
using Replicator.ServiceNode.Bgp.Evpn;
using Replicator.ServiceNode.Registry;
using Replicator.TestSupport.Configuration;
using static Replicator.ServiceNode.Tests.Bgp.Evpn.EvpnTestBed;

namespace Replicator.ServiceNode.Tests.Bgp.Evpn;

/// <summary>The exporter on the real registry loop: told after each batch, on the loop's thread.</summary>
public sealed class EvpnRegistryLoopTests : IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("evpn-loop-");
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();

    public void Dispose()
    {
        _services.Dispose();
        _dir.Delete(recursive: true);
    }

    [Fact]
    public async Task RegistryLoop_RegistrationAndWithdrawal_ExporterAnnouncesAndWithdraws()
    {
        var speaker = new RecordingSpeaker();
        Assert.True(EvpnValueFormat.TryParse("{vtep}:{vni}", true, out var rd, out _));
        Assert.True(EvpnValueFormat.TryParse("{as}:{vni}", false, out var rt, out _));
        var exporter = new EvpnExporter(speaker, new EvpnRouteBuilder(rd, rt, speaker.LocalAs));
        var options = TestOptions.Reloadable<RegistryOptions>(RegistryOptions.SectionName);
        var registry = new ServiceNode.Registry.Registry(new RegistryLimits(1000, 1000, TimeSpan.FromSeconds(90)), TimeProvider.System, new MemberTable());
        using var loop = new RegistryLoop(registry, options, new StaticEntriesStore(Path.Combine(_dir.FullName, "static")), [],
            new RegistryMetrics(_services.GetRequiredService<IMeterFactory>()), TimeProvider.System, new OwnAddresses(),
            NullLogger<RegistryLoop>.Instance, exportListeners: [exporter]);
        await loop.StartAsync(CancellationToken.None);
        try
        {
            await loop.InvokeAsync(r => r.Apply(Register("n1", 100, "192.0.2.11")));
            loop.Post(exporter.Start); // after the entry: the full pass announces it
            await WaitFor(() => speaker.Snapshot() == (1, 0));

            await loop.InvokeAsync(r => r.Apply(Register("n2", 100, "192.0.2.12")));
            await WaitFor(() => speaker.Snapshot() == (2, 0));

            await loop.InvokeAsync(r => r.Apply(Deregister("n1", 100, "192.0.2.11")));
            await WaitFor(() => speaker.Snapshot() == (2, 1));
            Assert.Equal(1, exporter.Count);
        }
        finally
        {
            await loop.StopAsync(CancellationToken.None);
        }
    }

    private static async Task WaitFor(Func<bool> condition)
    {
        var until = DateTime.UtcNow + Deadline;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < until, "condition not met within the deadline");
            await Task.Delay(10);
        }
    }
}
