using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Replicator.ServiceNode.Addresses;
using Replicator.ServiceNode.Registry;
using Replicator.TestSupport.Configuration;

namespace Replicator.ServiceNode.Tests.Registry;

/// <summary>The end of a batch: its held-back work (answers) leaves before the batch's changes are published and pushed.</summary>
public sealed class RegistryLoopBatchTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("registry-batch-");
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();

    public void Dispose()
    {
        _services.Dispose();
        _dir.Delete(recursive: true);
    }

    private sealed class Recorder(List<string> events) : IBatchListener, IMembershipListener
    {
        public void OnBatchEnding(ServiceNode.Registry.Registry registry) => Add("batch ending");

        public void OnMembershipChanged(ServiceNode.Registry.Registry registry, IReadOnlyList<uint> vnis) => Add("changed " + string.Join(",", vnis));

        public void Add(string e)
        {
            lock (events) events.Add(e);
        }

        public string[] Seen()
        {
            lock (events) return [.. events];
        }
    }

    [Fact]
    public async Task AfterBatch_Registration_BatchListenersBeforeMembershipListeners()
    {
        var time = new FakeTimeProvider();
        var options = TestOptions.Reloadable<RegistryOptions>(RegistryOptions.SectionName);
        var registry = new ServiceNode.Registry.Registry(new RegistryLimits(1000, 1000, TimeSpan.FromSeconds(90)), time, new MemberTable());
        var events = new List<string>();
        var recorder = new Recorder(events);
        using var loop = new RegistryLoop(registry, options, new StaticEntriesStore(Path.Combine(_dir.FullName, "static")), [recorder],
            new RegistryMetrics(_services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>()), time, new OwnAddresses(),
            NullLogger<RegistryLoop>.Instance, batchListeners: [recorder]);
        await loop.StartAsync(CancellationToken.None);
        try
        {
            await loop.InvokeAsync(r =>
            {
                lock (events) events.Clear(); // start-up's own batch end
                recorder.Add("work");
                return r.Apply(new Registration("a", TimeSpan.FromSeconds(90), false, ResponseWanted.None,
                    [new VniRegistration(7, [VtepAddress.FromIPAddress(IPAddress.Parse("192.0.2.1"))])], null));
            });
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
            while (!recorder.Seen().Contains("changed 7") && DateTime.UtcNow < deadline) await Task.Delay(10);

            Assert.Equal(["work", "batch ending", "changed 7"], recorder.Seen().Take(3));
        }
        finally
        {
            await loop.StopAsync(CancellationToken.None);
        }
    }
}
