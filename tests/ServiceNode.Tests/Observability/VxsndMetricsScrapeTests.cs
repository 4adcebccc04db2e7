using System.Net;
using System.Net.Sockets;
using Replicator.Protocol.Control;
using Replicator.TestSupport;
using Xunit.Abstractions;

namespace Replicator.ServiceNode.Tests.Observability;

/// <summary>
/// The real vxsnd, started as a process with the shipped <c>deploy/systemd/vxsnd.json</c> (plus
/// overrides for addresses, socket and file) in a namespace of its own: after registrations,
/// VXLAN datagrams and garbage, its /metrics passes <c>promtool check metrics</c> with no findings
/// and carries every metric vxsnd emits, with values.
/// </summary>
[Collection(KernelCollection.Name)]
public sealed class VxsndMetricsScrapeTests(ITestOutputHelper output)
{
    /// <summary>Every sample name vxsnd exposes once it has seen traffic (histograms as their three series).</summary>
    public static readonly string[] Names =
    [
        "vxsnd_datagrams_received_total", "vxsnd_copies_sent_total", "vxsnd_send_errors_total", "vxsnd_datagrams_dropped_total",
        "vxsnd_batch_size_bucket", "vxsnd_batch_size_sum", "vxsnd_batch_size_count",
        "vxsnd_replication_latency_seconds_bucket", "vxsnd_replication_latency_seconds_sum", "vxsnd_replication_latency_seconds_count",
        "vxsnd_registry_entries", "vxsnd_registry_vnis", "vxsnd_registrations_received_total", "vxsnd_peerlists_pushed_total",
        "vxsnd_control_dropped_total", "vxsnd_ready", "vxsnd_authentication_enabled", "vxsnd_socket_drops_total",
    ];

    private static readonly IPAddress Node = IPAddress.Parse("192.0.2.1");
    private static readonly IPAddress VtepA = IPAddress.Parse("192.0.2.11");
    private static readonly IPAddress VtepB = IPAddress.Parse("192.0.2.12");

    [KernelFact]
    public void Metrics_AfterTraffic_PassPromtoolWithEveryNameAndValues()
    {
        using var ns = NetworkNamespace.Create("vxsndobs");
        using var vtep = NetworkNamespace.Create("vxsndobsv");
        // A veth pair from the node to VTEP A's namespace (VTEP A's address must not be one of the
        // node's own: those are refused); copies to VTEP B vanish into it.
        ns.Exec("ip", "link", "add", "d0", "type", "veth", "peer", "name", "d1", "netns", vtep.Name);
        vtep.Exec("ip", "addr", "add", "192.0.2.11/24", "dev", "d1");
        vtep.Exec("ip", "link", "set", "d1", "up");
        ns.Exec("ip", "addr", "add", "192.0.2.1/24", "dev", "d0");
        ns.Exec("ip", "link", "set", "d0", "up");
        var dir = Directory.CreateTempSubdirectory("vxsnd-obs-");
        try
        {
            using var daemon = new ObservedDaemon(ns, "ServiceNode", "vxsnd.dll", "127.0.0.1:9501",
                "--config", Path.Combine(ObservedDaemon.RepositoryRoot, "deploy", "systemd", "vxsnd.json"),
                $"--ServiceNode:ControlAddress={Node}", $"--ServiceNode:DataPlane:Address={Node}",
                $"--ServiceNode:ManagementSocket={Path.Combine(dir.FullName, "vxsnd.sock")}",
                $"--ServiceNode:Registry:StaticEntriesFile={Path.Combine(dir.FullName, "static-entries")}",
                // Hand-made unsigned registrations below: no key file (over the shipped one), the opt-out instead.
                "--ServiceNode:Authentication:KeyFile=", "--ServiceNode:Authentication:AllowUnauthenticated=true");
            daemon.WaitReady(TimeSpan.FromSeconds(20));

            vtep.Enter(() =>
            {
                using var control = new UdpClient(new IPEndPoint(VtepA, 0));
                // An unsigned registration may only name its own source address, and B's is not in
                // this namespace: IP_TRANSPARENT (linux/in.h: 19, level IPPROTO_IP 0) lets B's leave from B's address.
                using var controlB = new UdpClient(AddressFamily.InterNetwork);
                controlB.Client.SetRawSocketOption(0, 19, BitConverter.GetBytes(1));
                controlB.Client.Bind(new IPEndPoint(VtepB, 0));
                var sn = new IPEndPoint(Node, 10001);
                foreach (var (id, address, socket) in new[] { ("vtep-a", VtepA, control), ("vtep-b", VtepB, controlB) })
                {
                    foreach (var d in ControlCodec.EncodeRegister(new RegisterMessage(id, 90, false, WireResponseWanted.RegisteredVnis, [new VniAddresses(100, [address])])))
                        socket.Send(d, sn);
                    // B's join in a later registry batch than A's, so it is pushed to A: in the same batch both are
                    // answered with the whole list and nothing is left to push (vxsnd_peerlists_pushed_total never appears).
                    Thread.Sleep(300);
                }
                control.Send([1, 2, 3], sn); // a control drop
                Thread.Sleep(300); // registrations applied before the data arrives

                using var data = new UdpClient(new IPEndPoint(VtepA, 0));
                var dp = new IPEndPoint(Node, 4789);
                for (int i = 0; i < 20; i++) data.Send(BroadcastFrame(100), dp);
                data.Send(BroadcastFrame(999), dp); // VNI without members
                data.Send([0x08, 0, 0], dp);        // too short
                return 0;
            });

            string text = daemon.ScrapeUntil(s =>
                Value(s, "vxsnd_copies_sent_total") >= 20 && Value(s, "vxsnd_registrations_received_total") >= 2
                && Names.All(n => s.Any(x => x.Name == n)), TimeSpan.FromSeconds(10));
            output.WriteLine(text);

            var (exit, findings) = Promtool.CheckMetrics(text);
            Assert.True(exit == 0 && findings.Length == 0, $"promtool check metrics (exit {exit}):\n{findings}");
            var samples = Sample.Parse(text);
            Assert.Equal(2, samples.Single(s => s.Name == "vxsnd_registry_entries" && s.Labels.Contains("registered")).Value);
            Assert.Equal(1, Value(samples, "vxsnd_registry_vnis"));
            Assert.Equal(1, Value(samples, "vxsnd_ready"));
            Assert.Equal(0, Value(samples, "vxsnd_authentication_enabled")); // AllowUnauthenticated, no key file
            Assert.True(Value(samples, "vxsnd_control_dropped_total") >= 1);
            Assert.True(Value(samples, "vxsnd_datagrams_dropped_total") >= 1);
            Assert.True(Value(samples, "vxsnd_replication_latency_seconds_count") >= 1);
            Assert.DoesNotContain(samples, s => s.Labels.Contains("192.0.2."));
            var exposed = samples.Select(s => s.Name).ToHashSet();
            var referenced = ObservedDaemon.DeployReferences("vxsnd_");
            Assert.NotEmpty(referenced);
            Assert.Subset(exposed, referenced.ToHashSet()); // alerts and dashboard use only names vxsnd emits
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    private static double Value(IReadOnlyList<Sample> samples, string name) => samples.Where(s => s.Name == name).Sum(s => s.Value);

    /// <summary>A VXLAN datagram (I flag, <paramref name="vni"/>) carrying a broadcast ARP frame.</summary>
    private static byte[] BroadcastFrame(uint vni)
    {
        var d = new byte[8 + 14 + 28];
        d[0] = 0x08;
        d[4] = (byte)(vni >> 16); d[5] = (byte)(vni >> 8); d[6] = (byte)vni;
        for (int i = 8; i < 14; i++) d[i] = 0xff;
        d[14] = 0x02; d[19] = 0x01; // source 02:00:00:00:00:01
        d[20] = 0x08; d[21] = 0x06; // ARP
        return d;
    }
}
