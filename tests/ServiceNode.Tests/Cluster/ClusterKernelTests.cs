using System.Diagnostics;
using System.Net;
using Replicator.Protocol.Control;
using Replicator.ServiceNode.Tests.Hardening;
using Replicator.TestSupport;

namespace Replicator.ServiceNode.Tests.Cluster;

/// <summary>
/// Real vxsnd processes (control and data plane) in network namespaces behind an underlay router.
/// VTEPs are kernel VXLAN devices in service-node mode (default destination: the anycast address)
/// whose registrations the test sends with the codec.
/// </summary>
[Collection(KernelCollection.Name)]
public sealed class ClusterKernelTests : IDisposable
{
    private const uint Vni = 100;
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(20);
    private readonly string _directory = Directory.CreateTempSubdirectory("vxsnd-cluster-k-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private VxsndProcess StartNode(UnderlayLab lab, int node, int count, string syncTimeout, bool anycast, bool metrics = false, string? keyFile = null)
    {
        var settings = new List<string>
        {
            $"--ServiceNode:Metrics:Endpoint={(metrics ? "127.0.0.1:9501" : "")}",
            $"--ServiceNode:ControlAddress={UnderlayLab.Address(node)}",
            $"--ServiceNode:Cluster:SyncTimeout={syncTimeout}",
            "--ServiceNode:Cluster:KeepaliveInterval=00:00:00.500",
        };
        if (keyFile is not null) settings.Add($"--ServiceNode:Authentication:KeyFile={keyFile}");
        int p = 0;
        for (int i = 0; i < count; i++)
        {
            if (i != node) settings.Add($"--ServiceNode:Cluster:Peers:{p++}={UnderlayLab.Address(i)}");
        }
        if (anycast)
        {
            settings.Add($"--ServiceNode:Cluster:AnycastAddress={UnderlayLab.Anycast}");
            settings.Add("--ServiceNode:Cluster:InstallAnycast=true");
        }
        return VxsndProcess.Start(lab.Nodes[node], _directory, $"sn{node}", [.. settings]);
    }

    private static IPEndPoint Control(IPAddress address) => new(address, 10001);

    private static async Task Eventually(Func<Task<bool>> condition, string what, TimeSpan timeout, Func<string>? detail = null)
    {
        var watch = Stopwatch.StartNew();
        while (!await condition())
        {
            if (watch.Elapsed > timeout) Assert.Fail($"not within {timeout}: {what}\n{detail?.Invoke()}");
            await Task.Delay(50);
        }
    }

    [KernelFact]
    public async Task Failover_FirstKilledRouteMoved_SecondHeldEverythingAndRestartedFirstSyncsBeforeServing()
    {
        // Namespaces 0 and 1: service nodes; 2, 3, 4: VTEPs.
        using var lab = new UnderlayLab(5);
        lab.RouteAnycastTo(0);
        using var first = StartNode(lab, 0, 2, "00:00:01", anycast: true);
        await first.WaitStartedAsync(StartTimeout); // alone: its sync times out, it starts empty
        using var second = StartNode(lab, 1, 2, "00:00:03", anycast: true, metrics: true);
        var secondStatus = await second.WaitStartedAsync(StartTimeout);
        Assert.True(secondStatus.Synced);
        await Eventually(() => Task.FromResult(lab.HasAnycast(0) && lab.HasAnycast(1)), "anycast on both loopbacks", TimeSpan.FromSeconds(5));

        // Three VTEPs register through the anycast address; the fabric delivers to the first.
        var vteps = new[] { 2, 3, 4 };
        var sockets = vteps.Select(lab.Socket).ToArray();
        var all = vteps.Select(UnderlayLab.Address).ToHashSet();
        try
        {
            for (int i = 0; i < 3; i++)
            {
                var lists = UnderlayLab.Ask(sockets[i], Control(UnderlayLab.Anycast),
                    new RegisterMessage($"vtep-{i}", 90, false, WireResponseWanted.RegisteredVnis, [new VniAddresses(Vni, [UnderlayLab.Address(vteps[i])])]));
                Assert.True(lists.ContainsKey(Vni), $"vtep-{i} got no answer:\n{first.Output}");
            }
            Assert.Equal(all, (await first.FdbAsync()).Where(e => e.Source == "registered").Select(e => IPAddress.Parse(e.Address)).ToHashSet());
            // Relayed: the second holds every registration before anything fails.
            await Eventually(async () => (await second.FdbAsync()).Count(e => e.Source == "relayed") == 3, "three relayed entries on the second", TimeSpan.FromSeconds(3));
            // Traffic flows: ARP (broadcast) goes to the anycast, the first replicates it.
            foreach (var v in vteps) lab.AddVxlan(v);
            AssertEveryPairAnswers(lab, vteps, "through the first");

            // The first dies without a word (its anycast stays on its loopback); the fabric moves the route.
            first.Kill();
            lab.RouteAnycastTo(1);

            // The second already holds everything: a VTEP's next refresh is answered with the full list.
            var refreshed = UnderlayLab.Ask(sockets[0], Control(UnderlayLab.Anycast),
                new RegisterMessage("vtep-0", 90, false, WireResponseWanted.RegisteredVnis, [new VniAddresses(Vni, [UnderlayLab.Address(vteps[0])])]));
            Assert.Equal(all, refreshed.GetValueOrDefault(Vni));
            // Forget every neighbour so the next pings need BUM again, now through the second.
            double copiesBefore = CopiesSent(lab.Nodes[1]);
            foreach (var v in vteps) lab.Nodes[v].Exec("ip", "neigh", "flush", "dev", "vxlan100");
            AssertEveryPairAnswers(lab, vteps, "through the second after failover");
            Assert.True(CopiesSent(lab.Nodes[1]) > copiesBefore, "the second replicated the ARP requests");
            await Eventually(async () => (await second.TryClusterAsync())?.Peers[0].Reachable == false, "first reported unreachable", TimeSpan.FromSeconds(4));

            // The first restarts: it pulls the table from the second before its control socket opens.
            using var restarted = StartNode(lab, 0, 2, "00:00:03", anycast: true, metrics: true);
            await Eventually(() => Task.FromResult(Readyz(lab.Nodes[0]) == "200"), "/readyz of the restarted first", StartTimeout, () => restarted.Output);
            // The moment it is ready it already holds the whole table.
            using (var probe = lab.Socket(2))
                Assert.Equal(all, UnderlayLab.Table(probe, Control(UnderlayLab.Address(0))).GetValueOrDefault(Vni));
            var status = (await restarted.TryClusterAsync())!;
            Assert.True(status.Synced);
            Assert.Equal(3, status.Peers[0].LastSyncEntries);
            await Eventually(() => Task.FromResult(lab.HasAnycast(0)), "anycast back on the first", TimeSpan.FromSeconds(3));
            Assert.Contains("left on the loopback by a previous run", restarted.Output, StringComparison.Ordinal);

            // A clean stop (SIGTERM) removes the anycast address so the fabric withdraws the route.
            Shell.Check("kill", "-TERM", ProcessId(restarted));
            await Eventually(() => Task.FromResult(!lab.HasAnycast(0)), "anycast removed on stop", TimeSpan.FromSeconds(5), () => restarted.Output);
        }
        finally
        {
            foreach (var s in sockets) s.Dispose();
        }
    }

    [KernelFact]
    public async Task Relay_ThreeMeshedNodesUnderBurst_EachRegistrationAppliedOncePerNodeNoLoops()
    {
        // Namespaces 0, 1, 2: service nodes; 3: the VTEPs' side.
        using var lab = new UnderlayLab(4);
        // One sender registers 300 VTEPs' addresses: only a signed registration may name addresses other than its source.
        var (keyFile, keys) = HardeningFixture.WriteKeyFile(_directory);
        using var a = StartNode(lab, 0, 3, "00:00:00.500", anycast: false, keyFile: keyFile);
        await a.WaitStartedAsync(StartTimeout);
        using var b = StartNode(lab, 1, 3, "00:00:02", anycast: false, keyFile: keyFile);
        using var c = StartNode(lab, 2, 3, "00:00:02", anycast: false, keyFile: keyFile);
        await b.WaitStartedAsync(StartTimeout);
        await c.WaitStartedAsync(StartTimeout);
        VxsndProcess[] nodes = [a, b, c];
        string[] prefixes = ["192.0.2.", "198.51.100.", "203.0.113."];
        const int PerNode = 100;
        using var sender = lab.Socket(3);
        for (int i = 0; i < PerNode; i++)
        {
            for (int n = 0; n < 3; n++)
            {
                var register = new RegisterMessage($"vtep-{n}-{i}", 90, false, WireResponseWanted.None,
                    [new VniAddresses((uint)(1000 + i % 10), [IPAddress.Parse($"{prefixes[n]}{i + 101}")])]);
                byte[] datagram = ControlCodec.Encode(register, reserveAuthenticationTrailer: true);
                keys.Sign(datagram, TimeProvider.System);
                sender.SendTo(datagram, Control(UnderlayLab.Address(n)));
            }
        }

        foreach (var node in nodes)
            await Eventually(async () => (await node.FdbAsync()).Count == 3 * PerNode, "every node holds every registration", TimeSpan.FromSeconds(5), () => node.Output);
        await Task.Delay(500); // a loop would keep relaying: give it time to show in the counters
        for (int n = 0; n < 3; n++)
        {
            var fdb = await nodes[n].FdbAsync();
            Assert.Equal(PerNode, fdb.Count(e => e.Source == "registered"));
            Assert.Equal(2 * PerNode, fdb.Count(e => e.Source == "relayed"));
            var status = (await nodes[n].TryClusterAsync())!;
            Assert.Equal(2 * PerNode, status.RegistrationsRelayed); // own registrations, once to each peer
            Assert.Equal(2 * PerNode, status.RelayedReceived); // the others', once each
            Assert.All(status.Peers, p => Assert.True(p.Reachable));
        }
    }

    private static void AssertEveryPairAnswers(UnderlayLab lab, int[] vteps, string when)
    {
        var deadline = DateTime.UtcNow.AddSeconds(5);
        foreach (int a in vteps)
        {
            foreach (int b in vteps)
            {
                if (a >= b) continue;
                while (!lab.Ping(a, b))
                {
                    if (DateTime.UtcNow > deadline) Assert.Fail($"{UnderlayLab.OverlayAddress(a)} -> {UnderlayLab.OverlayAddress(b)} does not answer {when}");
                }
            }
        }
    }

    /// <summary>vxsnd_copies_sent_total from /metrics inside the namespace (0 when absent).</summary>
    private static double CopiesSent(NetworkNamespace ns)
    {
        string text = ns.Exec("curl", "-s", "-m", "2", "http://127.0.0.1:9501/metrics");
        return text.Split('\n')
            .Where(l => l.StartsWith("vxsnd_copies_sent_total", StringComparison.Ordinal))
            .Sum(l => double.Parse(l[(l.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>HTTP status of /readyz inside the namespace ("000" while nothing listens).</summary>
    private static string Readyz(NetworkNamespace ns) =>
        ns.Try("curl", "-s", "-o", "/dev/null", "-m", "1", "-w", "%{http_code}", "http://127.0.0.1:9501/readyz").Stdout.Trim();

    private static string ProcessId(VxsndProcess process) => process.Pid.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
