using Replicator.Benchmarks.Hardening.Tools;
using Replicator.Hosting.Authentication;
using Replicator.TestSupport;
using Xunit.Abstractions;

namespace Replicator.ServiceNode.Tests.Hardening;

/// <summary>
/// A real vxsnd (with a key file) in its own namespace takes a million seeded hostile datagrams on
/// its control and data ports: it stays up, its memory stays bounded, its registry is unchanged,
/// and every datagram the kernel delivered to it is counted (accepted or dropped by reason).
/// </summary>
[Collection(KernelCollection.Name)]
public class FuzzTests(ITestOutputHelper output)
{
    private const long Datagrams = 1_000_000;
    private const int Seed = 20261122;

    [KernelFact]
    public async Task Fuzz_MillionHostileDatagrams_DaemonUpRegistryUnchangedEveryDatagramCounted()
    {
        using var ns = NetworkNamespace.Create("hfuzz");
        string keys = Directory.CreateTempSubdirectory("vxsnd-keys").FullName;
        var (keyFile, _) = HardeningFixture.WriteKeyFile(keys);
        await using var daemon = await VxsndDaemon.StartAsync(ns,
            $"--ServiceNode:Authentication:KeyFile={keyFile}",
            "--ServiceNode:Hardening:ControlRateLimitPerSource=0", // rate limits have their own test; here every datagram reaches the parsers
            "--ServiceNode:Hardening:ControlRateLimitGlobal=0",
            "--ServiceNode:DataPlane:DestinationPort=4790");
        // Static members in the VNIs of the fuzzer's valid VXLAN seeds: valid datagrams from the
        // fuzz sources replicate, so the replication path is fuzzed too.
        var sources = HardeningFixture.Loopbacks("127.0.3", 8);
        for (uint vni = 100; vni < 108; vni++)
        {
            foreach (var member in sources.Concat(HardeningFixture.Loopbacks("127.0.4", 2)))
                Assert.Equal(0, (await daemon.CliAsync("fdb", "add", vni.ToString(), member.ToString())).ExitCode);
        }
        var before = (await daemon.FdbAsync()).OrderBy(e => (e.Vni, e.Address)).ToList();
        var udpBefore = HardeningFixture.UdpCounters(ns);

        // Warm up (JIT, buffers), then measure memory from there.
        FuzzSender.Run(new FuzzSettings(VxsndDaemon.Control, VxsndDaemon.Data, sources, 20_000, Seed + 1, TimeSpan.FromSeconds(10), 20_000),
            HardeningFixture.SocketsIn(ns));
        var baseline = await daemon.HeapAsync();
        // Chunks of seeded datagrams until vxsnd's sockets have received a million (the kernel drops
        // some when the receive buffers are full on a busy machine; those are counted separately).
        var reports = new List<FuzzReport>();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        // Until a million were delivered, however long a busy machine takes (about 20 s idle, minutes
        // beside CPU burners); the deadline only stops a run that makes no progress.
        while (HardeningFixture.UdpCounters(ns)["InDatagrams"] - udpBefore["InDatagrams"] < Datagrams && clock.Elapsed < TimeSpan.FromMinutes(6))
        {
            int chunk = reports.Count;
            reports.Add(await Task.Run(() => FuzzSender.Run(
                new FuzzSettings(VxsndDaemon.Control, VxsndDaemon.Data, sources, 100_000, Seed + chunk, TimeSpan.FromSeconds(10), 40_000),
                HardeningFixture.SocketsIn(ns))));
        }
        var report = new FuzzReport(reports.Sum(r => r.ControlSent), reports.Sum(r => r.DataSent), reports.Sum(r => r.SendErrors),
            clock.Elapsed, Enum.GetValues<FuzzStrategy>().ToDictionary(k => k, k => reports.Sum(r => r.ByStrategy[k])));
        var metrics = await HardeningFixture.QuietMetricsAsync(daemon, TimeSpan.FromSeconds(20),
            "vxsnd_control_dropped_total", "vxsnd_datagrams_received_total");
        var final = await daemon.HeapAsync();
        var udp = HardeningFixture.UdpCounters(ns);

        Assert.True(daemon.IsRunning, daemon.Stderr);
        var after = (await daemon.FdbAsync()).OrderBy(e => (e.Vni, e.Address)).ToList();
        var controlDrops = VxsndDaemon.ByReason(metrics, "vxsnd_control_dropped_total");
        var dataDrops = VxsndDaemon.ByReason(metrics, "vxsnd_datagrams_dropped_total");
        double registrations = VxsndDaemon.Sum(metrics, "vxsnd_registrations_received_total");
        double controlCounted = controlDrops.Values.Sum() + registrations;
        double dataReceived = VxsndDaemon.Sum(metrics, "vxsnd_datagrams_received_total");
        long delivered = udp["InDatagrams"] - udpBefore["InDatagrams"];
        long bufferDrops = udp["RcvbufErrors"] - udpBefore["RcvbufErrors"];

        output.WriteLine($"sent: {report} (seeds {Seed}..{Seed + reports.Count - 1})");
        output.WriteLine($"kernel delivered {delivered} to vxsnd's sockets, {bufferDrops} dropped for full receive buffers");
        output.WriteLine($"control counted {controlCounted} ({registrations} registrations): {string.Join(", ", controlDrops.OrderBy(p => p.Key).Select(p => $"{p.Key} {p.Value}"))}");
        output.WriteLine($"data received {dataReceived}, copies {VxsndDaemon.Sum(metrics, "vxsnd_copies_sent_total")}, dropped: {string.Join(", ", dataDrops.OrderBy(p => p.Key).Select(p => $"{p.Key} {p.Value}"))}");
        output.WriteLine($"retained managed heap after a full GC: {Mib(baseline.RetainedBytes)} -> {Mib(final.RetainedBytes)} MiB (bound +{Mib(FixedBound)} MiB); RSS now {Mib(daemon.RssBytes())} MiB");

        Assert.True(delivered >= Datagrams, $"only {delivered} datagrams reached vxsnd's sockets in time");
        Assert.Equal(before, after);
        Assert.Equal(0, registrations); // nothing hostile got in: the fuzzer holds no valid key
        Assert.Equal(0, controlDrops.GetValueOrDefault("ok"));
        // Every datagram the kernel handed to vxsnd is accounted for, control and data together
        // (the warm-up's included: the counters started before it).
        Assert.Equal(delivered, (long)(controlCounted + dataReceived));
        Assert.True(controlDrops.GetValueOrDefault("unsigned") > 0 && controlDrops.GetValueOrDefault("bad_signature") > 0
            && controlDrops.GetValueOrDefault("unknown_key") > 0, "every authentication reason was exercised");
        // The registry is unchanged, so what the daemon keeps must not grow: a leak of a few bytes
        // per datagram would show as megabytes here, and RSS (which load moves) is not looked at.
        Assert.True(final.RetainedBytes - baseline.RetainedBytes < FixedBound,
            $"retained heap grew {Mib(final.RetainedBytes - baseline.RetainedBytes)} MiB");
    }

    /// <summary>
    /// Without a key file nothing stops a datagram before the decoder and the registry: 300,000
    /// hostile control datagrams go through the whole receive path. Some mutated registrations
    /// are valid and do register (that is what no key file means); the daemon stays up, memory
    /// stays bounded, and every delivered datagram is either a registration or a counted drop.
    /// </summary>
    [KernelFact]
    public async Task Fuzz_WithoutKeyFile_DecoderAndRegistryPathSurviveEveryDatagramCounted()
    {
        var (growth, bound) = await FuzzWithoutKeyFileAsync(leak: false);
        Assert.True(growth < bound, $"retained heap grew {Mib(growth)} MiB, more than the {Mib(bound)} MiB the registry's growth explains");
    }

    /// <summary>The proof that the check above catches a leak: the same run with a leak injected into vxsnd fails it.</summary>
    [KernelFact]
    public async Task Fuzz_WithoutKeyFileInjectedLeak_HeapCheckFails()
    {
        var (growth, bound) = await FuzzWithoutKeyFileAsync(leak: true);
        Assert.True(growth >= bound, $"an injected leak of {LeakInjection.BytesPerDatagram} bytes per datagram went unnoticed: grew {Mib(growth)} MiB, bound {Mib(bound)} MiB");
    }

    /// <summary>Bytes of retained heap growth allowed when nothing is registered; registrations add <see cref="BytesPerEntry"/> each.</summary>
    private const long FixedBound = 8L * 1024 * 1024;

    /// <summary>Generous: a registry entry (VNI member, node, expiry queue) costs a few hundred bytes.</summary>
    private const long BytesPerEntry = 2048;

    private static string Mib(long bytes) => (bytes / 1048576.0).ToString("F1", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The fuzz without a key file; returns the retained heap's growth and the bound the registry's size allows.</summary>
    private async Task<(long Growth, long Bound)> FuzzWithoutKeyFileAsync(bool leak)
    {
        using var ns = NetworkNamespace.Create(leak ? "hfuzzleak" : "hfuzz2");
        await using var daemon = await VxsndDaemon.StartAsync(ns, leak ? LeakInjection.Environment : null,
            "--ServiceNode:Hardening:ControlRateLimitPerSource=0", "--ServiceNode:Hardening:ControlRateLimitGlobal=0", "--ServiceNode:DataPlane:DestinationPort=4790",
            "--ServiceNode:Authentication:AllowUnauthenticated=true");
        var sources = HardeningFixture.Loopbacks("127.0.3", 8);
        var udpBefore = HardeningFixture.UdpCounters(ns);
        var baseline = await daemon.HeapAsync();
        var report = await Task.Run(() => FuzzSender.Run(
            new FuzzSettings(VxsndDaemon.Control, null, sources, 300_000, Seed + 100, TimeSpan.FromSeconds(20), 30_000),
            HardeningFixture.SocketsIn(ns)));
        var metrics = await HardeningFixture.QuietMetricsAsync(daemon, TimeSpan.FromSeconds(20),
            "vxsnd_control_dropped_total", "vxsnd_registrations_received_total");
        var udp = HardeningFixture.UdpCounters(ns);
        var final = await daemon.HeapAsync();
        var drops = VxsndDaemon.ByReason(metrics, "vxsnd_control_dropped_total");
        double registrations = VxsndDaemon.Sum(metrics, "vxsnd_registrations_received_total");
        long delivered = udp["InDatagrams"] - udpBefore["InDatagrams"];
        var entries = await daemon.FdbAsync();
        output.WriteLine($"sent: {report}");
        output.WriteLine($"delivered {delivered}; {registrations} decoded as registrations; drops: {string.Join(", ", drops.Where(p => p.Value > 0).OrderBy(p => p.Key).Select(p => $"{p.Key} {p.Value}"))}");
        long growth = final.RetainedBytes - baseline.RetainedBytes;
        long bound = FixedBound + entries.Count * BytesPerEntry;
        output.WriteLine($"registry after: {entries.Count} entries; retained managed heap after a full GC {Mib(baseline.RetainedBytes)} -> {Mib(final.RetainedBytes)} MiB "
            + $"(+{Mib(growth)} MiB, bound {Mib(bound)} MiB){(leak ? $", leak injected: {LeakInjection.BytesPerDatagram} bytes per datagram" : "")}; RSS now {Mib(daemon.RssBytes())} MiB");

        Assert.True(daemon.IsRunning, daemon.Stderr);
        Assert.True(report.ControlSent >= 300_000);
        Assert.True(registrations > 0, "some mutations are valid registrations: the decoder and registry path ran");
        Assert.True(drops.GetValueOrDefault("malformed_body") > 0 && drops.GetValueOrDefault("bad_magic") > 0);
        // A registration the registry refuses is counted twice: received, then rejected_*.
        double counted = registrations + drops.Where(p => !p.Key.StartsWith("rejected_", StringComparison.Ordinal)).Sum(p => p.Value);
        // Delivered may also include peer lists answered to the fuzzer's own sockets.
        // On a busy machine the kernel drops part of the flood for a full receive buffer: each
        // datagram sent is then either counted by vxsnd or in vxsnd_socket_drops_total.
        double kernelDrops = metrics.GetValueOrDefault("vxsnd_socket_drops_total{socket=\"control\"}");
        output.WriteLine($"kernel drops on the control socket: {kernelDrops}; counted + dropped {counted + kernelDrops} of {report.ControlSent - report.SendErrors} sent");
        Assert.True(delivered >= counted && counted + kernelDrops >= report.ControlSent - report.SendErrors, $"delivered {delivered}, counted {counted}, kernel drops {kernelDrops}");
        return (growth, bound);
    }
}
