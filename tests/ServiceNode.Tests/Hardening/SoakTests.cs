using System.Globalization;
using Replicator.Benchmarks.Hardening.Tools;
using Replicator.Hosting.Authentication;
using Replicator.TestSupport;
using Xunit.Abstractions;

namespace Replicator.ServiceNode.Tests.Hardening;

/// <summary>
/// 200 simulated VTEPs join, refresh and leave random VNIs against a real vxsnd (authenticated,
/// default rate limits) while BUM traffic replicates; at the end the registry equals the load
/// tool's model exactly and memory stayed flat. 45 s by default; SOAK_SECONDS=N runs longer.
/// </summary>
[Collection(KernelCollection.Name)]
public class SoakTests(ITestOutputHelper output)
{
    [KernelFact]
    public async Task Soak_200VtepsChurning_RegistryEqualsModelAndMemoryFlat()
    {
        int seconds = int.TryParse(Environment.GetEnvironmentVariable("SOAK_SECONDS"), NumberStyles.None, CultureInfo.InvariantCulture, out int s) && s > 0 ? s : 45;
        using var ns = NetworkNamespace.Create("hsoak");
        string keys = Directory.CreateTempSubdirectory("vxsnd-keys").FullName;
        var (keyFile, ring) = HardeningFixture.WriteKeyFile(keys);
        // REPLICATOR_TEST_INJECT_LEAK=1 in the test's environment starts vxsnd with a leak injected: this test must then fail.
        await using var daemon = await VxsndDaemon.StartAsync(ns, LeakInjection.Requested ? LeakInjection.Environment : null,
            $"--ServiceNode:Authentication:KeyFile={keyFile}", "--ServiceNode:DataPlane:DestinationPort=4790");
        var udpBefore = HardeningFixture.UdpCounters(ns);
        using var load = new ChurnLoad(
            new ChurnSettings(VxsndDaemon.Control, Vteps: 200, Duration: TimeSpan.FromSeconds(seconds), Seed: 9, DataPlane: VxsndDaemon.Data, Keys: ring),
            HardeningFixture.SocketsIn(ns));

        // Retained managed heap after a full GC, at half time (the registry has reached its churning
        // size) and at the end: RSS moves with load and the GC's mood, live objects do not.
        var running = load.RunAsync();
        await Task.Delay(TimeSpan.FromSeconds(seconds / 2.0));
        var half = await daemon.HeapAsync();
        double registrationsAtHalf = VxsndDaemon.Sum(await daemon.ScrapeAsync(), "vxsnd_registrations_received_total");
        var report = await running;
        var metrics = await HardeningFixture.QuietMetricsAsync(daemon, TimeSpan.FromSeconds(20), "vxsnd_registrations_received_total", "vxsnd_peerlists_pushed_total");
        var end = await daemon.HeapAsync();

        var registered = (await daemon.FdbAsync()).Where(e => e.Source == "registered")
            .Select(e => new ModelEntry(e.Vni, e.Address, e.NodeId ?? "")).ToList();
        var differences = load.Model.Compare(registered);
        var drops = VxsndDaemon.ByReason(metrics, "vxsnd_control_dropped_total");
        var udp = HardeningFixture.UdpCounters(ns);
        // Memory "flat": what the daemon keeps grows by no more than a few MiB in the second half
        // (the registry's size is steady; 200 VTEPs' entries are a few hundred KiB in all).
        long growth = end.RetainedBytes - half.RetainedBytes;
        output.WriteLine($"churn: {report}");
        output.WriteLine($"vxsnd: {VxsndDaemon.Sum(metrics, "vxsnd_registrations_received_total")} registrations, {VxsndDaemon.Sum(metrics, "vxsnd_peerlists_pushed_total")} peer lists pushed, "
            + $"{VxsndDaemon.Sum(metrics, "vxsnd_datagrams_received_total")} BUM received, {VxsndDaemon.Sum(metrics, "vxsnd_copies_sent_total")} copies; "
            + $"control drops: {string.Join(", ", drops.Where(p => p.Value > 0).Select(p => $"{p.Key} {p.Value}"))}");
        output.WriteLine($"registry: {registered.Count} registered entries checked against the model, {differences.Count} differences");
        output.WriteLine($"kernel receive-buffer drops: {udp["RcvbufErrors"] - udpBefore["RcvbufErrors"]}");
        output.WriteLine($"retained managed heap after a full GC: {half.RetainedBytes / 1048576.0:F1} MiB at half time, {end.RetainedBytes / 1048576.0:F1} MiB at the end "
            + $"(+{growth / 1048576.0:F2} MiB over {VxsndDaemon.Sum(metrics, "vxsnd_registrations_received_total") - registrationsAtHalf} registrations){(LeakInjection.Requested ? ", leak injected" : "")}; RSS now {daemon.RssBytes() / 1048576.0:F1} MiB");

        Assert.True(daemon.IsRunning, daemon.Stderr);
        Assert.True(differences.Count == 0, string.Join('\n', differences.Take(20)));
        Assert.True(report.ModelEntries > 100, "the churn kept a populated registry");
        Assert.Equal(0, drops.Values.Sum()); // signed, under the default limits: nothing refused
        Assert.True(growth < 4L * 1024 * 1024, $"retained heap grew {growth / 1048576.0:F2} MiB in the second half");
    }
}
