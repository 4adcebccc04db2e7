using System.Diagnostics;
using System.Text.Json;
using Replicator.TestSupport;
using Xunit.Abstractions;

namespace Replicator.RegistrationDaemon.Tests.Daemon;

/// <summary>
/// vxrd as a process on real VXLAN devices: three VTEP namespaces and the real vxsnd in a fourth,
/// joined by a bridge namespace, over an IPv4 and then an IPv6 underlay. The kernel's FDB, read
/// with <c>bridge -j fdb show</c>, is the oracle.
/// </summary>
[Collection(KernelCollection.Name)]
public sealed class VxrdKernelTests(ITestOutputHelper output)
{
    private const string Zero = "00:00:00:00:00:00";
    private static readonly TimeSpan Reconcile = TimeSpan.FromSeconds(2);

    // A join or leave takes milliseconds (printed); the limit only has to survive a busy machine.
    private static readonly TimeSpan Propagation = TimeSpan.FromSeconds(5);

    [KernelTheory]
    [InlineData(false)]
    [InlineData(true)]
    public void HeadEnd_Lifecycle_ConvergesRepairsSwitchesModeAndFailsStatic(bool ipv6)
    {
        string sn = ipv6 ? "2001:db8::1" : "192.0.2.1";
        string[] vtep = ipv6 ? ["2001:db8::11", "2001:db8::12", "2001:db8::13"] : ["192.0.2.11", "192.0.2.12", "192.0.2.13"];
        int prefix = ipv6 ? 64 : 24;
        string vxrd = RepositoryRoot.ReleaseDll("RegistrationDaemon", "vxrd.dll");
        string vxsnd = RepositoryRoot.ReleaseDll("ServiceNode", "vxsnd.dll");
        var temp = Directory.CreateTempSubdirectory("vxrd-kt-");
        var underlay = new BridgedUnderlay("vxrdul");
        var daemons = new List<DaemonProcess>();
        try
        {
            string keys = TestKeyFile.Write(temp.FullName); // every daemon signs and verifies with it
            var snNs = underlay.Add("vxrdsn", sn, prefix);
            var v = vtep.Select((a, i) => underlay.Add($"vxrdv{i + 1}", a, prefix)).ToArray();
            void Vxlan(NetworkNamespace ns, string name, int vni, string local, bool up = true)
            {
                ns.Exec("ip", "link", "add", name, "type", "vxlan", "id", vni.ToString(), "local", local, "dstport", "4789", "nolearning");
                if (up) ns.Exec("ip", "link", "set", name, "up");
            }
            for (int i = 0; i < 3; i++) Vxlan(v[i], "vxlan100", 100, vtep[i]);
            Vxlan(v[0], "vxlan200", 200, vtep[0]);
            // Ignored by vxrd: a down VXLAN device (its hand-made entry must survive) and eth0 (not VXLAN).
            Vxlan(v[0], "vxlan300", 300, vtep[0], up: false);
            v[0].Exec("bridge", "fdb", "append", Zero, "dev", "vxlan300", "dst", ipv6 ? "2001:db8::99" : "192.0.2.99");

            var snd = DaemonProcess.StartDll(snNs, vxsnd, $"--ServiceNode:ControlAddress={sn}", "--ServiceNode:Registry:HoldTime=00:00:06",
                $"--ServiceNode:Registry:StaticEntriesFile={temp.FullName}/static", $"--ServiceNode:ManagementSocket={temp.FullName}/vxsnd.sock",
                $"--ServiceNode:Authentication:KeyFile={keys}");
            daemons.Add(snd);
            string Config(int i, string mode) => JsonSerializer.Serialize(new
            {
                RegistrationDaemon = new { ServiceNode = sn, Mode = mode, HoldTime = "00:00:06", RefreshRate = 3, ReconcileInterval = Reconcile.ToString(), ManagementSocket = Socket(temp, i), Authentication = new { KeyFile = keys } },
            });
            for (int i = 0; i < 3; i++) File.WriteAllText(ConfigPath(temp, i), Config(i, "HeadEnd"));
            WaitFor("vxsnd listening", TimeSpan.FromSeconds(20), () => File.Exists($"{temp.FullName}/vxsnd.sock"), snd);

            var rd = new DaemonProcess[3];
            var start = Stopwatch.StartNew();
            for (int i = 0; i < 3; i++) { rd[i] = DaemonProcess.StartDll(v[i], vxrd, "--config", ConfigPath(temp, i)); daemons.Add(rd[i]); }
            for (int i = 0; i < 3; i++) WaitFor($"vxrd {i + 1} listening", TimeSpan.FromSeconds(20), () => File.Exists(Socket(temp, i)), rd[i]);
            var started = start.Elapsed;
            var converge = Measure("every device has exactly the other members", TimeSpan.FromSeconds(10), () =>
                Enumerable.Range(0, 3).All(i => Same(Fdb(v[i], "vxlan100"), vtep.Where((_, j) => j != i))) && Fdb(v[0], "vxlan200").Count == 0, rd);
            output.WriteLine($"[{Family(ipv6)}] 3 vxrd started (sockets up) in {started.TotalSeconds:F2} s; HeadEnd converged {converge.TotalMilliseconds:F0} ms later ({(started + converge).TotalSeconds:F2} s after the processes were started)");

            // A new VTEP in VNI 200 appears on the other; deleting it makes it disappear.
            var joinClock = Stopwatch.StartNew();
            Vxlan(v[1], "vxlan200", 200, vtep[1]);
            var join = joinClock.Elapsed + Measure("new VTEP appears on the other member", Propagation, () => Same(Fdb(v[0], "vxlan200"), [vtep[1]]), rd);
            Measure("the new VTEP has the existing member", Propagation, () => Same(Fdb(v[1], "vxlan200"), [vtep[0]]), rd);
            var leaveClock = Stopwatch.StartNew();
            v[1].Exec("ip", "link", "del", "vxlan200");
            var leave = leaveClock.Elapsed + Measure("deleted VTEP disappears from the other member", Propagation, () => Fdb(v[0], "vxlan200").Count == 0, rd);
            // Removals held back for a "restart" would also pass within Propagation on a slow day: none may have been seen.
            Assert.All(rd, d => Assert.DoesNotContain("[5406]", d.Output));
            output.WriteLine($"[{Family(ipv6)}] join visible {join.TotalMilliseconds:F0} ms after creating the device (ip link add + set up included), delete {leave.TotalMilliseconds:F0} ms after ip link del");

            // An entry deleted by hand comes back within ReconcileInterval.
            var repairClock = Stopwatch.StartNew();
            v[0].Exec("bridge", "fdb", "del", Zero, "dev", "vxlan100", "dst", vtep[1]);
            var repair = repairClock.Elapsed + Measure("entry deleted by hand comes back", Reconcile + Propagation, () => Same(Fdb(v[0], "vxlan100"), [vtep[1], vtep[2]]), rd);
            output.WriteLine($"[{Family(ipv6)}] hand-deleted entry restored after {repair.TotalMilliseconds:F0} ms (ReconcileInterval {Reconcile.TotalSeconds} s)");

            // Mode switch by editing the config file, without a restart, and back.
            File.WriteAllText(ConfigPath(temp, 0), Config(0, "ServiceNode"));
            var toSn = Measure("ServiceNode mode: one entry, the service node", TimeSpan.FromSeconds(5), () => Same(Fdb(v[0], "vxlan100"), [sn]) && Same(Fdb(v[0], "vxlan200"), [sn]), rd);
            File.WriteAllText(ConfigPath(temp, 0), Config(0, "HeadEnd"));
            var toHe = Measure("HeadEnd again: the other members", TimeSpan.FromSeconds(5), () => Same(Fdb(v[0], "vxlan100"), [vtep[1], vtep[2]]) && Fdb(v[0], "vxlan200").Count == 0, rd);
            output.WriteLine($"[{Family(ipv6)}] mode switch by config reload: to ServiceNode {toSn.TotalMilliseconds:F0} ms, back {toHe.TotalMilliseconds:F0} ms");

            // The peers the service node reported, with this VTEP as self.
            var peers = Cli(vxrd, "peers", "--vni", "100", "--json", "--socket", Socket(temp, 0)).RootElement.EnumerateArray()
                .ToDictionary(p => p.GetProperty("address").GetString()!, p => p.GetProperty("self").GetBoolean());
            Assert.Equal(vtep.Order(), peers.Keys.Order());
            Assert.True(peers[vtep[0]]);

            // Ignored links: listed with their reason, entries untouched.
            var devices = Cli(vxrd, "devices", "--json", "--socket", Socket(temp, 0)).RootElement.EnumerateArray()
                .ToDictionary(d => d.GetProperty("name").GetString()!, d => d.GetProperty("reason").GetString());
            Assert.Equal("down", devices["vxlan300"]);
            Assert.Equal("not vxlan", devices["eth0"]);
            Assert.Equal("managed", devices["vxlan100"]);
            Assert.Equal([ipv6 ? "2001:db8::99" : "192.0.2.99"], Fdb(v[0], "vxlan300"));

            // Fail-static: the service node dies, entries stay and the status says unreachable.
            snd.Kill();
            var before = Enumerable.Range(0, 3).Select(i => Fdb(v[i], "vxlan100")).ToArray();
            Measure("service node reported unreachable", TimeSpan.FromSeconds(8), () =>
                !Cli(vxrd, "status", "--json", "--socket", Socket(temp, 0)).RootElement.GetProperty("reachable").GetBoolean(), rd);
            for (int i = 0; i < 3; i++) Assert.Equal(before[i], Fdb(v[i], "vxlan100"));

            // A vxrd restart adopts the entries instead of flushing them.
            Assert.Equal(0, rd[0].Terminate(TimeSpan.FromSeconds(10)));
            Assert.Equal(before[0], Fdb(v[0], "vxlan100"));
            rd[0] = DaemonProcess.StartDll(v[0], vxrd, "--config", ConfigPath(temp, 0));
            daemons.Add(rd[0]);
            WaitFor("vxrd 1 listening again", TimeSpan.FromSeconds(20), () => File.Exists(Socket(temp, 0)), rd[0]);
            Thread.Sleep(Reconcile + TimeSpan.FromSeconds(1));
            Assert.Equal(before[0], Fdb(v[0], "vxlan100"));
            Assert.False(rd[0].HasExited, rd[0].Output);

            // vxsnd comes back with an empty registry: VTEPs that knew it never lose a peer while
            // everyone registers again (generation went back: add-only for a refresh interval), then all converge.
            File.Delete($"{temp.FullName}/vxsnd.sock");
            snd = DaemonProcess.StartDll(snNs, vxsnd, $"--ServiceNode:ControlAddress={sn}", "--ServiceNode:Registry:HoldTime=00:00:06",
                $"--ServiceNode:Registry:StaticEntriesFile={temp.FullName}/static", $"--ServiceNode:ManagementSocket={temp.FullName}/vxsnd.sock",
                $"--ServiceNode:Authentication:KeyFile={keys}");
            daemons.Add(snd);
            WaitFor("vxsnd listening again", TimeSpan.FromSeconds(20), () => File.Exists($"{temp.FullName}/vxsnd.sock"), snd);
            var relearn = Stopwatch.StartNew();
            while (relearn.Elapsed < TimeSpan.FromSeconds(4))
            {
                for (int i = 1; i < 3; i++) Assert.Equal(before[i], Fdb(v[i], "vxlan100"));
                Thread.Sleep(50);
            }
            Measure("converged after the service node restart", TimeSpan.FromSeconds(3), () =>
                Enumerable.Range(0, 3).All(i => Same(Fdb(v[i], "vxlan100"), vtep.Where((_, j) => j != i))), rd);
            Assert.True(rd[1].Output.Contains("The service node restarted") || rd[2].Output.Contains("The service node restarted"),
                "the restart was detected:\n" + rd[1].Output);

            // vxrd flush removes what vxrd manages, and nothing comes back until a restart.
            var (flush, flushArgs) = DaemonExecutable.ForDll(vxrd, ["flush", "--socket", Socket(temp, 0)]);
            var flushed = Shell.Run(flush, flushArgs, TimeSpan.FromSeconds(30));
            Assert.True(flushed.ExitCode == 0, flushed.Stderr);
            Assert.Empty(Fdb(v[0], "vxlan100"));
            Thread.Sleep(Reconcile + TimeSpan.FromMilliseconds(500));
            Assert.Empty(Fdb(v[0], "vxlan100"));
            Assert.Equal([ipv6 ? "2001:db8::99" : "192.0.2.99"], Fdb(v[0], "vxlan300"));
            Assert.Equal(before[1], Fdb(v[1], "vxlan100"));
            Assert.Equal(0, rd[0].Terminate(TimeSpan.FromSeconds(10)));
        }
        finally
        {
            foreach (var d in daemons) d.Dispose();
            underlay.Dispose();
            temp.Delete(recursive: true);
        }
    }

    private static string Family(bool ipv6) => ipv6 ? "IPv6" : "IPv4";

    private static string ConfigPath(DirectoryInfo temp, int i) => Path.Combine(temp.FullName, $"vxrd{i + 1}.json");

    private static string Socket(DirectoryInfo temp, int i) => Path.Combine(temp.FullName, $"vxrd{i + 1}.sock");

    private static bool Same(IReadOnlyList<string> actual, IEnumerable<string> expected) => actual.Order().SequenceEqual(expected.Order());

    /// <summary>Default destinations of a device, from <c>bridge -j fdb show dev DEV</c>.</summary>
    private static List<string> Fdb(NetworkNamespace ns, string device)
    {
        using var json = JsonDocument.Parse(ns.Exec("bridge", "-j", "fdb", "show", "dev", device));
        return [.. json.RootElement.EnumerateArray()
            .Where(e => e.GetProperty("mac").GetString() == Zero && e.TryGetProperty("dst", out _))
            .Select(e => e.GetProperty("dst").GetString()!).Order()];
    }

    private static JsonDocument Cli(string dll, params string[] args)
    {
        var (file, arguments) = DaemonExecutable.ForDll(dll, args);
        var r = Shell.Run(file, arguments, TimeSpan.FromSeconds(30));
        Assert.True(r.ExitCode == 0, $"vxrd {string.Join(' ', args)}: {r.Stderr}");
        return JsonDocument.Parse(r.Stdout);
    }

    private static void WaitFor(string what, TimeSpan timeout, Func<bool> condition, params DaemonProcess[] daemons)
    {
        var sw = Stopwatch.StartNew();
        while (!condition())
        {
            if (sw.Elapsed > timeout || daemons.Any(d => d.HasExited))
                throw new Xunit.Sdk.XunitException($"{what}: not within {timeout.TotalSeconds} s\n" + string.Join("\n---\n", daemons.Select(d => d.Output)));
            Thread.Sleep(50);
        }
    }

    /// <summary>Polls every 50 ms; returns how long the condition took to hold.</summary>
    private static TimeSpan Measure(string what, TimeSpan limit, Func<bool> condition, IEnumerable<DaemonProcess> daemons)
    {
        var sw = Stopwatch.StartNew();
        WaitFor(what, limit, condition, [.. daemons]);
        return sw.Elapsed;
    }
}
