using System.Diagnostics;
using Replicator.EndToEnd.Tests.Lab;
using Replicator.TestSupport;
using Xunit.Abstractions;

namespace Replicator.EndToEnd.Tests.Observability;

/// <summary>
/// Real Prometheus servers scrape the real daemons in the lab topology (deploy/lab/lab.sh, service-node
/// replication): one inside the service node's namespace scraping vxsnd (127.0.0.1:9501), one inside a
/// VTEP's namespace scraping its vxrd (127.0.0.1:9502). After BUM traffic between hosts, their HTTP
/// APIs report a non-zero copies-sent rate and a reachable service node.
/// </summary>
[Collection(KernelCollection.Name)]
public sealed class PrometheusScrapesLabTests(ITestOutputHelper output)
{
    [KernelFact]
    public void Prometheus_ScrapesLabDaemons_AfterTraffic_ReportsCopiesSentAndReachableServiceNode()
    {
        var clock = Stopwatch.StartNew();
        var lab = new LabScript();
        NamespacedPrometheus? sn = null, vtep = null;
        try
        {
            var up = lab.Run(TimeSpan.FromSeconds(120), "--no-build", "--mode", "snr", "--underlay", "ipv4", "--keep");
            Assert.True(up.ExitCode == 0 && up.Output.Contains("RESULT: PASS"), $"lab.sh exited {up.ExitCode}:\n{up.Output}");
            output.WriteLine($"lab up after {clock.Elapsed.TotalSeconds:F1} s");

            sn = NamespacedPrometheus.Start($"{lab.Prefix}-sn1", "vxsnd", "127.0.0.1:9501");
            vtep = NamespacedPrometheus.Start($"{lab.Prefix}-vtep1", "vxrd", "127.0.0.1:9502");
            sn.WaitFor("up{job=\"vxsnd\"}", v => v == 1, TimeSpan.FromSeconds(10));
            vtep.WaitFor("up{job=\"vxrd\"}", v => v == 1, TimeSpan.FromSeconds(10));
            output.WriteLine($"both Prometheus servers scraping after {clock.Elapsed.TotalSeconds:F1} s");

            // A unicast ping across VTEPs must work; broadcast pings are BUM traffic the service node replicates.
            Shell.Check("ip", "netns", "exec", $"{lab.Prefix}-h1", "ping", "-c", "5", "-i", "0.05", "-W", "2", "198.51.100.12");
            Shell.Run("ip", ["netns", "exec", $"{lab.Prefix}-h1", "ping", "-b", "-c", "40", "-i", "0.05", "-W", "1", "198.51.100.255"], TimeSpan.FromSeconds(15));

            double rate = sn.WaitFor("sum(rate(vxsnd_copies_sent_total[10s]))", v => v > 0, TimeSpan.FromSeconds(15));
            double reachable = vtep.WaitFor("vxrd_servicenode_reachable", v => v == 1, TimeSpan.FromSeconds(10));
            double received = sn.WaitFor("sum(increase(vxsnd_datagrams_received_total[30s]))", v => v >= 40, TimeSpan.FromSeconds(10));
            output.WriteLine($"copies-sent rate {rate:F2}/s, datagrams received in 30 s {received:F0}, vxrd_servicenode_reachable {reachable}; {clock.Elapsed.TotalSeconds:F1} s");
            Assert.True(rate > 0);
            Assert.Equal(1, reachable);
        }
        finally
        {
            sn?.Dispose();
            vtep?.Dispose();
            var down = lab.Run(TimeSpan.FromSeconds(60), "down");
            output.WriteLine($"lab down (exit {down.ExitCode}) after {clock.Elapsed.TotalSeconds:F1} s");
        }
        Assert.Empty(lab.Namespaces());
    }
}
