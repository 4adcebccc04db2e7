using System.Diagnostics;
using System.Text.Json;
using Replicator.ServiceNode.Tests.Hardening;
using Replicator.TestSupport;
using Xunit.Abstractions;
using static Replicator.EndToEnd.Tests.Support.OverlayChecks;

namespace Replicator.EndToEnd.Tests.Control;

/// <summary>
/// Issue 19 with real daemons on real VXLAN devices: a vxsnd (unauthenticated, so return routability
/// and cookies are in play) and three head-end vxrd on a bridged underlay. Joins and leaves reach the
/// others as deltas, and a delta that one VTEP never received (a blackhole route towards it on the
/// service node) is repaired by its next refresh, whose held generation
/// makes vxsnd answer with what it missed.
/// </summary>
[Collection(KernelCollection.Name)]
public sealed class PeerListDeltaEndToEndTests(ITestOutputHelper output)
{
    private const string ServiceNode = "192.0.2.1";
    private static readonly string[] Vteps = ["192.0.2.11", "192.0.2.12", "192.0.2.13"];
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(30);

    [KernelFact]
    public async Task Deltas_JoinLeaveAndALostDelta_EveryVtepConverges()
    {
        var temp = Directory.CreateTempSubdirectory("delta-e2e-");
        var underlay = new BridgedUnderlay("dle2e");
        var daemons = new List<DaemonProcess>();
        VxsndDaemon? vxsnd = null;
        try
        {
            var sn = underlay.Add("dle2esn", ServiceNode, 24);
            var v = Vteps.Select((a, i) => underlay.Add($"dle2ev{i + 1}", a, 24)).ToArray();
            vxsnd = await VxsndDaemon.StartAsync(sn, $"--ServiceNode:ControlAddress={ServiceNode}", "--ServiceNode:Authentication:AllowUnauthenticated=true");
            for (int i = 0; i < 2; i++) Device(v[i], i);
            var rd = Enumerable.Range(0, 3).Select(i => StartVxrd(v[i], temp, i)).ToArray();
            daemons.AddRange(rd);

            WaitFor("the two first VTEPs hold each other", Generous,
                () => Same(DefaultDestinations(v[0]), [Vteps[1]]) && Same(DefaultDestinations(v[1]), [Vteps[0]]), rd);

            // A join: the third VTEP's device appears; the others get it as a delta.
            double deltasBefore = await SentAsync(vxsnd, "delta");
            var clock = Stopwatch.StartNew();
            Device(v[2], 2);
            var join = WaitFor("every VTEP holds the other two", Generous, () => Converged(v, 0, 1, 2), rd);
            Assert.True(await SentAsync(vxsnd, "delta") > deltasBefore, "the join reached the members as deltas");
            output.WriteLine($"join converged {join.TotalMilliseconds:0} ms after the device was created");

            // A leave: the third VTEP's device goes; the others drop it (a delta removing it).
            v[2].Exec("ip", "link", "del", "vxlan100");
            var leave = WaitFor("the others drop the third VTEP", Generous,
                () => Same(DefaultDestinations(v[0]), [Vteps[1]]) && Same(DefaultDestinations(v[1]), [Vteps[0]]), rd);
            output.WriteLine($"leave converged {leave.TotalMilliseconds:0} ms after the device was deleted");

            // A lost delta: nothing the service node sends reaches VTEP 1 (a blackhole route to it in the service
            // node's namespace; its registrations still arrive) while VTEP 3 joins again.
            sn.Exec("ip", "route", "add", "blackhole", $"{Vteps[0]}/32");
            Device(v[2], 2);
            WaitFor("VTEP 2 holds the returning VTEP 3", Generous, () => Same(DefaultDestinations(v[1]), [Vteps[0], Vteps[2]]), rd);
            Assert.Equal([Vteps[1]], DefaultDestinations(v[0])); // its delta was dropped
            sn.Exec("ip", "route", "del", "blackhole", $"{Vteps[0]}/32");
            clock.Restart();
            var repaired = WaitFor("VTEP 1 repaired by its next refresh", Generous, () => Converged(v, 0, 1, 2), rd);
            output.WriteLine($"lost delta repaired {repaired.TotalMilliseconds:0} ms after the blackhole route went (refresh interval 2 s)");
            output.WriteLine($"vxsnd peer-list datagrams sent: full {await SentAsync(vxsnd, "full")}, delta {await SentAsync(vxsnd, "delta")}, empty {await SentAsync(vxsnd, "empty")}");
        }
        finally
        {
            foreach (var d in daemons) d.Dispose();
            if (vxsnd is not null) await vxsnd.DisposeAsync();
            underlay.Dispose();
            try { temp.Delete(recursive: true); } catch (IOException) { }
        }
    }

    private static void Device(NetworkNamespace ns, int i)
    {
        ns.Exec("ip", "link", "add", "vxlan100", "type", "vxlan", "id", "100", "local", Vteps[i], "dstport", "4789", "nolearning");
        ns.Exec("ip", "link", "set", "vxlan100", "up");
    }

    private static bool Converged(NetworkNamespace[] v, params int[] members) =>
        members.All(i => Same(DefaultDestinations(v[i]), members.Where(j => j != i).Select(j => Vteps[j])));

    private static DaemonProcess StartVxrd(NetworkNamespace ns, DirectoryInfo temp, int i)
    {
        string config = Path.Combine(temp.FullName, $"vxrd{i + 1}.json");
        File.WriteAllText(config, JsonSerializer.Serialize(new
        {
            RegistrationDaemon = new
            {
                ServiceNode, Mode = "HeadEnd", HoldTime = "00:00:06", RefreshRate = 3, ReconcileInterval = "00:01:00",
                ManagementSocket = Path.Combine(temp.FullName, $"vxrd{i + 1}.sock"), Authentication = new { AllowUnauthenticated = true },
                Metrics = new { Endpoint = "" },
            },
        }));
        return DaemonProcess.StartBuilt(ns, "vxrd", "--config", config);
    }

    private static async Task<double> SentAsync(VxsndDaemon vxsnd, string kind) =>
        (await vxsnd.ScrapeAsync()).Where(kv => kv.Key.StartsWith("vxsnd_peerlists_sent_total", StringComparison.Ordinal) && kv.Key.Contains($"kind=\"{kind}\"", StringComparison.Ordinal)).Sum(kv => kv.Value);
}
