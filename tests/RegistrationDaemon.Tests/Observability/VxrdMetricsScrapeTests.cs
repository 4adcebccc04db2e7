using Replicator.TestSupport;
using Xunit.Abstractions;

namespace Replicator.RegistrationDaemon.Tests.Observability;

/// <summary>
/// The real vxrd, started as a process with the shipped <c>deploy/systemd/vxrd.json</c> (plus
/// overrides) in a namespace of its own with a VXLAN device and the real vxsnd as its service
/// node: after registration, peer lists, FDB programming and a repaired hand-made change, its
/// /metrics passes <c>promtool check metrics</c> with no findings and carries every metric vxrd emits.
/// </summary>
[Collection(KernelCollection.Name)]
public sealed class VxrdMetricsScrapeTests(ITestOutputHelper output)
{
    /// <summary>Every sample name vxrd exposes once it has worked (and dropped a malformed control datagram).</summary>
    public static readonly string[] Names =
    [
        "vxrd_devices_managed", "vxrd_registrations_sent_total", "vxrd_peerlists_received_total", "vxrd_fdb_operations_total",
        "vxrd_reconcile_runs_total", "vxrd_drift_repaired_total", "vxrd_servicenode_reachable",
        "vxrd_servicenode_contact_age_seconds", "vxrd_control_dropped_total", "vxrd_ready", "vxrd_authentication_enabled", "vxrd_socket_drops_total",
    ];

    private const string Zero = "00:00:00:00:00:00";
    private const string ServiceNode = "192.0.2.1";

    [KernelFact]
    public void Metrics_AfterWork_PassPromtoolWithEveryNameAndValues()
    {
        using var ns = NetworkNamespace.Create("vxrdobs");
        using var sn = NetworkNamespace.Create("vxrdobssn");
        // A veth pair from the VTEP to the service node's namespace: vxsnd refuses a VTEP whose address is its own.
        ns.Exec("ip", "link", "add", "d0", "type", "veth", "peer", "name", "d1", "netns", sn.Name);
        sn.Exec("ip", "addr", "add", ServiceNode + "/24", "dev", "d1");
        sn.Exec("ip", "link", "set", "d1", "up");
        sn.Exec("ip", "link", "set", "lo", "up");
        ns.Exec("ip", "addr", "add", "192.0.2.11/24", "dev", "d0");
        ns.Exec("ip", "link", "set", "d0", "up");
        ns.Exec("ip", "link", "add", "vxlan100", "type", "vxlan", "id", "100", "local", "192.0.2.11", "dstport", "4789", "nolearning");
        ns.Exec("ip", "link", "set", "vxlan100", "up");
        var dir = Directory.CreateTempSubdirectory("vxrd-obs-");
        try
        {
            string deploy = Path.Combine(ObservedDaemon.RepositoryRoot, "deploy", "systemd");
            string keys = TestKeyFile.Write(dir.FullName); // the shipped configs name /etc/replicator/keys
            // The service node's data port moves off 4789, which the VXLAN device holds in this namespace.
            using var vxsnd = new ObservedDaemon(sn, "ServiceNode", "vxsnd.dll", "127.0.0.1:9501",
                "--config", Path.Combine(deploy, "vxsnd.json"),
                $"--ServiceNode:ControlAddress={ServiceNode}", $"--ServiceNode:DataPlane:Address={ServiceNode}", "--ServiceNode:DataPlane:Port=4790",
                $"--ServiceNode:ManagementSocket={Path.Combine(dir.FullName, "vxsnd.sock")}",
                $"--ServiceNode:Registry:StaticEntriesFile={Path.Combine(dir.FullName, "static-entries")}", $"--ServiceNode:Authentication:KeyFile={keys}");
            vxsnd.WaitReady(TimeSpan.FromSeconds(20));
            using var vxrd = new ObservedDaemon(ns, "RegistrationDaemon", "vxrd.dll", "127.0.0.1:9502",
                "--config", Path.Combine(deploy, "vxrd.json"),
                $"--RegistrationDaemon:ServiceNode={ServiceNode}", "--RegistrationDaemon:ReconcileInterval=00:00:01",
                $"--RegistrationDaemon:ManagementSocket={Path.Combine(dir.FullName, "vxrd.sock")}", $"--RegistrationDaemon:Authentication:KeyFile={keys}");
            vxrd.WaitReady(TimeSpan.FromSeconds(20));

            vxrd.ScrapeUntil(s => Value(s, "vxrd_fdb_operations_total") >= 1 && Value(s, "vxrd_servicenode_reachable") == 1, TimeSpan.FromSeconds(10));
            // A change behind vxrd's back: the reconciler puts the service node's entry back.
            ns.Exec("bridge", "fdb", "del", Zero, "dev", "vxlan100", "dst", ServiceNode);
            // Garbage to vxrd's control socket (its one UDP socket, on an ephemeral port) from the service
            // node's address but not its control port: a counted drop before anything is decoded.
            int port = ns.Exec("ss", "-Hunap").Split('\n')
                .Where(l => l.Contains($"pid={vxrd.Id},", StringComparison.Ordinal))
                .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[3])
                .Select(a => int.Parse(a[(a.LastIndexOf(':') + 1)..], System.Globalization.CultureInfo.InvariantCulture))
                .Single();
            sn.Enter(() =>
            {
                using var udp = new System.Net.Sockets.UdpClient(new System.Net.IPEndPoint(System.Net.IPAddress.Parse(ServiceNode), 0));
                return udp.Send([1, 2, 3], new System.Net.IPEndPoint(System.Net.IPAddress.Parse("192.0.2.11"), port));
            });
            string text = vxrd.ScrapeUntil(s => Value(s, "vxrd_drift_repaired_total") >= 1 && Names.All(n => s.Any(x => x.Name == n)), TimeSpan.FromSeconds(10));
            output.WriteLine(text);

            var (exit, findings) = Promtool.CheckMetrics(text);
            Assert.True(exit == 0 && findings.Length == 0, $"promtool check metrics (exit {exit}):\n{findings}");
            var samples = Sample.Parse(text);
            Assert.Equal(1, Value(samples, "vxrd_devices_managed"));
            Assert.Equal(1, Value(samples, "vxrd_servicenode_reachable"));
            Assert.Equal(1, Value(samples, "vxrd_ready"));
            Assert.True(Value(samples, "vxrd_registrations_sent_total") >= 1);
            Assert.True(samples.Single(s => s.Name == "vxrd_fdb_operations_total" && s.Labels == "{operation=\"add\",result=\"ok\"}").Value >= 2);
            Assert.InRange(Value(samples, "vxrd_servicenode_contact_age_seconds"), 0, 30);
            Assert.DoesNotContain(samples, s => s.Labels.Contains("192.0.2.") || s.Labels.Contains("vxlan100"));
            // Not from the service node's control port: refused before it is verified or decoded.
            Assert.Equal(1, samples.Single(s => s.Name == "vxrd_control_dropped_total" && s.Labels == "{reason=\"bad_port\"}").Value);
            Assert.Equal(1, Value(samples, "vxrd_authentication_enabled"));
            var exposed = samples.Select(s => s.Name).ToHashSet();
            var referenced = ObservedDaemon.DeployReferences("vxrd_");
            Assert.NotEmpty(referenced);
            Assert.Subset(exposed, referenced.ToHashSet()); // alerts and dashboard use only names vxrd emits
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    private static double Value(IReadOnlyList<Sample> samples, string name) => samples.Where(s => s.Name == name).Sum(s => s.Value);
}
