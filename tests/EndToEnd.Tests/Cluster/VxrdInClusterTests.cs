using System.Diagnostics;
using System.Text.Json;
using Replicator.EndToEnd.Tests.Support;
using Replicator.TestSupport;
using Xunit.Abstractions;
using static Replicator.EndToEnd.Tests.Support.OverlayChecks;

namespace Replicator.EndToEnd.Tests.Cluster;

/// <summary>
/// Real vxrd against a real two-node vxsnd cluster: each service node's control address is its own
/// (relays leave from it), its anycast socket answers the VTEPs, and it puts the anycast address on
/// its loopback once ready;
/// the VTEPs route the anycast to the first, as a fabric would. Two VTEPs run head-end replication
/// (they need the peer lists), one service-node replication. Then the first service node is killed
/// and the route moves to the second: it already holds every registration, and what changes next
/// (a VTEP leaving, coming back) reaches the others through it.
/// </summary>
[Collection(KernelCollection.Name)]
public sealed class VxrdInClusterTests(ITestOutputHelper output)
{
    private const string Anycast = "203.0.113.1";
    private static readonly string[] ServiceNodes = ["192.0.2.1", "192.0.2.2"];
    private static readonly string[] Vteps = ["192.0.2.11", "192.0.2.12", "192.0.2.13"];
    private static readonly string[] Modes = ["HeadEnd", "HeadEnd", "ServiceNode"];
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    [KernelFact]
    public void Cluster_VxrdConvergesThroughAnycast_SecondNodeTakesOverWithEverything()
    {
        var temp = Directory.CreateTempSubdirectory("cluster-e2e-");
        var underlay = new BridgedUnderlay("cule2e");
        var daemons = new List<DaemonProcess>();
        try
        {
            var sn = ServiceNodes.Select((a, i) => underlay.Add($"csne2e{i + 1}", a, 24)).ToArray();
            var v = Vteps.Select((a, i) => underlay.Add($"cve2e{i + 1}", a, 24)).ToArray();
            for (int i = 0; i < v.Length; i++)
            {
                v[i].Exec("ip", "route", "add", $"{Anycast}/32", "via", ServiceNodes[0]);
                v[i].Exec("ip", "link", "add", "vxlan100", "type", "vxlan", "id", "100", "local", Vteps[i], "dstport", "4789");
                v[i].Exec("ip", "link", "set", "vxlan100", "up");
            }

            // The first starts alone (its sync finds nobody), the second syncs from it.
            var snd = new DaemonProcess[2];
            for (int i = 0; i < 2; i++)
            {
                snd[i] = StartServiceNode(sn[i], temp, i);
                daemons.Add(snd[i]);
                int n = i;
                WaitFor($"vxsnd {i + 1} ready (anycast on its loopback)", StartTimeout, () => HasAnycast(sn[n]), snd[i]);
            }

            var rd = new DaemonProcess[3];
            var clock = Stopwatch.StartNew();
            for (int i = 0; i < 3; i++)
            {
                File.WriteAllText(Config(temp, i), JsonSerializer.Serialize(new
                {
                    RegistrationDaemon = new
                    {
                        ServiceNode = Anycast, Mode = Modes[i], HoldTime = "00:00:09", RefreshRate = 3, ReconcileInterval = "00:00:02",
                        ManagementSocket = VxrdSocket(temp, i), Metrics = new { Endpoint = "" }, Authentication = new { KeyFile = Keys(temp) },
                    },
                }));
                rd[i] = DaemonProcess.StartBuilt(v[i], "vxrd", "--config", Config(temp, i));
                daemons.Add(rd[i]);
            }
            // Head-end VTEPs get every other VTEP from peer lists answered and pushed from the anycast address.
            WaitFor("head-end VTEPs hold every other VTEP", StartTimeout,
                () => Same(DefaultDestinations(v[0]), [Vteps[1], Vteps[2]]) && Same(DefaultDestinations(v[1]), [Vteps[0], Vteps[2]]), [.. daemons]);
            output.WriteLine($"head-end peers converged through the anycast address {clock.ElapsedMilliseconds} ms after vxrd started");
            Assert.Equal([Anycast], DefaultDestinations(v[2]));
            WaitFor("the service-node-mode VTEP sees its service node reachable", TimeSpan.FromSeconds(10), () => Status(temp, 2).Reachable, [.. daemons]);
            WaitFor("the second node holds every VTEP (relayed)", TimeSpan.FromSeconds(10), () => Registered(temp, 1).SetEquals(Vteps), [.. daemons]);

            // The first dies; the fabric moves the anycast route to the second.
            snd[0].Kill();
            var failedOver = DateTimeOffset.UtcNow;
            foreach (var vtep in v) vtep.Exec("ip", "route", "replace", $"{Anycast}/32", "via", ServiceNodes[1]);
            Assert.True(Registered(temp, 1).SetEquals(Vteps), "the second node lost registrations when the first died");

            // A VTEP leaves and comes back: the others hear it from the second node.
            clock.Restart();
            v[1].Exec("ip", "link", "set", "vxlan100", "down");
            var left = WaitFor("the others drop VTEP 2", TimeSpan.FromSeconds(15), () => Same(DefaultDestinations(v[0]), [Vteps[2]]), snd[1], rd[0], rd[1], rd[2]);
            v[1].Exec("ip", "link", "set", "vxlan100", "up");
            clock.Restart();
            var back = WaitFor("the others regain VTEP 2", TimeSpan.FromSeconds(15),
                () => Same(DefaultDestinations(v[0]), [Vteps[1], Vteps[2]]) && Same(DefaultDestinations(v[1]), [Vteps[0], Vteps[2]]), snd[1], rd[0], rd[1], rd[2]);
            output.WriteLine($"after failover: a VTEP leaving reached the others in {left.TotalMilliseconds:0} ms, coming back in {back.TotalMilliseconds:0} ms");
            WaitFor("the service-node-mode VTEP heard from the second node", TimeSpan.FromSeconds(10),
                () => Status(temp, 2) is { Reachable: true, LastContact: { } at } && at > failedOver, snd[1], rd[2]);
            Assert.Equal([Anycast], DefaultDestinations(v[2]));
        }
        finally
        {
            foreach (var d in daemons) d.Dispose();
            underlay.Dispose();
            try { temp.Delete(recursive: true); } catch (IOException) { }
        }
    }

    private static DaemonProcess StartServiceNode(NetworkNamespace ns, DirectoryInfo temp, int i) =>
        DaemonProcess.StartBuilt(ns, "vxsnd",
            $"--ServiceNode:ControlAddress={ServiceNodes[i]}",
            $"--ServiceNode:Cluster:AnycastAddress={Anycast}",
            "--ServiceNode:Cluster:InstallAnycast=true",
            $"--ServiceNode:Cluster:Peers:0={ServiceNodes[1 - i]}",
            "--ServiceNode:Cluster:SyncTimeout=00:00:02",
            "--ServiceNode:Cluster:KeepaliveInterval=00:00:00.500",
            $"--ServiceNode:Registry:StaticEntriesFile={temp.FullName}/static{i + 1}",
            $"--ServiceNode:ManagementSocket={VxsndSocket(temp, i)}",
            "--ServiceNode:Metrics:Endpoint=",
            $"--ServiceNode:Authentication:KeyFile={Keys(temp)}");

    // One key file for the cluster and its VTEPs (relays, sync and keepalives are signed too).
    private static string Keys(DirectoryInfo temp)
    {
        string path = Path.Combine(temp.FullName, "keys");
        return File.Exists(path) ? path : TestKeyFile.Write(temp.FullName);
    }

    private static bool HasAnycast(NetworkNamespace ns) =>
        ns.Exec("ip", "-4", "addr", "show", "dev", "lo").Contains($"{Anycast}/32", StringComparison.Ordinal);

    /// <summary>The VTEP addresses the service node holds for VNI 100.</summary>
    private static HashSet<string> Registered(DirectoryInfo temp, int i)
    {
        using var doc = JsonDocument.Parse(Cli("vxsnd", "fdb", "--socket", VxsndSocket(temp, i), "--vni", "100", "--json"));
        return [.. doc.RootElement.EnumerateArray().Select(e => e.GetProperty("address").GetString()!)];
    }

    private static Replicator.RegistrationDaemon.Management.StatusView Status(DirectoryInfo temp, int i) =>
        JsonSerializer.Deserialize<Replicator.RegistrationDaemon.Management.StatusView>(Cli("vxrd", "status", "--socket", VxrdSocket(temp, i), "--json"),
            Replicator.Hosting.Management.ManagementJson.Options)!;

    private static string Config(DirectoryInfo temp, int i) => Path.Combine(temp.FullName, $"vxrd{i + 1}.json");

    private static string VxrdSocket(DirectoryInfo temp, int i) => Path.Combine(temp.FullName, $"vxrd{i + 1}.sock");

    private static string VxsndSocket(DirectoryInfo temp, int i) => Path.Combine(temp.FullName, $"vxsnd{i + 1}.sock");
}
