using Replicator.Hosting.Authentication;
using System.Globalization;
using Replicator.Benchmarks.Hardening.Tools;
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
        await using var daemon = await VxsndDaemon.StartAsync(ns, $"--ServiceNode:AuthKeyFile={keyFile}", "--ServiceNode:DestinationPort=4790");
        var udpBefore = HardeningFixture.UdpCounters(ns);
        using var load = new ChurnLoad(
            new ChurnSettings(VxsndDaemon.Control, Vteps: 200, Duration: TimeSpan.FromSeconds(seconds), Seed: 9, DataPlane: VxsndDaemon.Data, Keys: ring),
            HardeningFixture.SocketsIn(ns));

        var rss = new List<long>();
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                rss.Add(daemon.RssBytes());
                await Task.Delay(1000);
            }
        });
        var report = await load.RunAsync();
        var metrics = await HardeningFixture.QuietMetricsAsync(daemon, TimeSpan.FromSeconds(20), "vxsnd_registrations_received_total", "vxsnd_peerlists_pushed_total");
        sampling.Cancel();
        await sampler;

        var registered = (await daemon.FdbAsync()).Where(e => e.Source == "registered")
            .Select(e => new ModelEntry(e.Vni, e.Address, e.NodeId ?? "")).ToList();
        var differences = load.Model.Compare(registered);
        var drops = VxsndDaemon.ByReason(metrics, "vxsnd_control_dropped_total");
        var udp = HardeningFixture.UdpCounters(ns);
        // Memory "flat": the second half of the run grows no more than a few MiB over the first half's peak.
        long firstHalf = rss.Take(rss.Count / 2).DefaultIfEmpty(0).Max();
        long secondHalf = rss.Skip(rss.Count / 2).DefaultIfEmpty(0).Max();
        output.WriteLine($"churn: {report}");
        output.WriteLine($"vxsnd: {VxsndDaemon.Sum(metrics, "vxsnd_registrations_received_total")} registrations, {VxsndDaemon.Sum(metrics, "vxsnd_peerlists_pushed_total")} peer lists pushed, "
            + $"{VxsndDaemon.Sum(metrics, "vxsnd_datagrams_received_total")} BUM received, {VxsndDaemon.Sum(metrics, "vxsnd_copies_sent_total")} copies; "
            + $"control drops: {string.Join(", ", drops.Where(p => p.Value > 0).Select(p => $"{p.Key} {p.Value}"))}");
        output.WriteLine($"registry: {registered.Count} registered entries checked against the model, {differences.Count} differences");
        output.WriteLine($"kernel receive-buffer drops: {udp["RcvbufErrors"] - udpBefore["RcvbufErrors"]}");
        output.WriteLine($"RSS first half peak {firstHalf / 1048576.0:F1} MiB, second half peak {secondHalf / 1048576.0:F1} MiB");

        Assert.True(daemon.IsRunning, daemon.Stderr);
        Assert.True(differences.Count == 0, string.Join('\n', differences.Take(20)));
        Assert.True(report.ModelEntries > 100, "the churn kept a populated registry");
        Assert.Equal(0, drops.Values.Sum()); // signed, under the default limits: nothing refused
        Assert.True(secondHalf - firstHalf < 32L * 1024 * 1024, $"RSS grew {(secondHalf - firstHalf) / 1048576.0:F1} MiB in the second half");
    }
}
