using Replicator.Benchmarks.Hardening.Tools;
using Replicator.Hosting.Authentication;
using Replicator.TestSupport;
using Xunit.Abstractions;

namespace Replicator.ServiceNode.Tests.Hardening;

/// <summary>
/// vxsnd killed with SIGKILL and started again: the VTEPs' next refresh rebuilds every
/// registration within one refresh interval, and the static entries (persisted to disk) are there
/// from the start. Three kills in a row.
/// </summary>
[Collection(KernelCollection.Name)]
public class RestartTests(ITestOutputHelper output)
{
    private static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(3);

    [KernelFact]
    public async Task Restart_SigkillThenStart_EveryRegistrationBackWithinOneRefreshIntervalStaticIntact()
    {
        using var ns = NetworkNamespace.Create("hrestart");
        string keys = Directory.CreateTempSubdirectory("vxsnd-keys").FullName;
        var (keyFile, ring) = HardeningFixture.WriteKeyFile(keys);
        await using var daemon = await VxsndDaemon.StartAsync(ns, $"--ServiceNode:Authentication:KeyFile={keyFile}", "--ServiceNode:DataPlane:DestinationPort=4790");
        Assert.Equal(0, (await daemon.CliAsync("fdb", "add", "500", "198.51.100.10")).ExitCode);
        Assert.Equal(0, (await daemon.CliAsync("fdb", "add", "500", "2001:db8::10")).ExitCode);
        using var load = new ChurnLoad(
            new ChurnSettings(VxsndDaemon.Control, Vteps: 200, Duration: TimeSpan.FromSeconds(4), Seed: 5, Keys: ring),
            HardeningFixture.SocketsIn(ns));
        await load.RunAsync();

        // The VTEPs refresh every RefreshInterval from now on, as vxrd does.
        using var stop = new CancellationTokenSource();
        var refresher = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                await load.RefreshAllAsync();
                try { await Task.Delay(RefreshInterval, stop.Token); } catch (OperationCanceledException) { }
            }
        });
        var expected = load.Model.Snapshot();
        Assert.True(await WaitForModelAsync(daemon, load.Model, TimeSpan.FromSeconds(10)) is not null, "registry equals the model before the first kill");

        for (int restart = 1; restart <= 3; restart++)
        {
            var sinceKill = System.Diagnostics.Stopwatch.StartNew();
            daemon.Kill();
            await daemon.StartAgainAsync();
            var startup = sinceKill.Elapsed;
            var statics = (await daemon.FdbAsync()).Where(e => e.Source == "static").Select(e => (e.Vni, e.Address)).Order().ToList();
            Assert.Equal([(500u, "198.51.100.10"), (500u, "2001:db8::10")], statics);
            var rebuilt = await WaitForModelAsync(daemon, load.Model, RefreshInterval + TimeSpan.FromSeconds(1));
            Assert.True(rebuilt is not null, $"restart {restart}: registry not rebuilt within one refresh interval ({RefreshInterval.TotalSeconds} s)");
            output.WriteLine($"restart {restart}: SIGKILL to answering {startup.TotalSeconds:F2} s; {expected.Count} registrations back {rebuilt!.Value.TotalSeconds:F2} s later "
                + $"({sinceKill.Elapsed.TotalSeconds:F2} s after the kill), static entries intact");
        }
        stop.Cancel();
        await refresher;
    }

    /// <summary>Polls <c>vxsnd fdb</c> until its registered entries equal the model; the time it took, or null.</summary>
    private static async Task<TimeSpan?> WaitForModelAsync(VxsndDaemon daemon, RegistryModel model, TimeSpan timeout)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            var registered = (await daemon.FdbAsync()).Where(e => e.Source == "registered").Select(e => new ModelEntry(e.Vni, e.Address, e.NodeId ?? ""));
            if (model.Compare(registered).Count == 0) return clock.Elapsed;
            await Task.Delay(100);
        }
        return null;
    }
}
