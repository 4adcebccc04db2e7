using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using Replicator.EndToEnd.Tests.Support;
using Replicator.Hosting.Authentication;
using Replicator.TestSupport;
using Xunit.Abstractions;
using static Replicator.EndToEnd.Tests.Support.OverlayChecks;

namespace Replicator.EndToEnd.Tests.Hardening;

/// <summary>
/// vxsnd and three vxrd with key files, HeadEnd mode, real VXLAN devices in namespaces on a
/// documentation-range underlay: the two VTEPs holding the shared key converge and ping each other
/// across the overlay; the one with another key is refused (counted as bad_signature) and never
/// appears; and restarting a vxrd (SIGTERM and start, then SIGKILL and start) during a running ping
/// loses no ping.
/// </summary>
[Collection(KernelCollection.Name)]
public sealed partial class AuthenticatedOverlayTests(ITestOutputHelper output)
{
    private const string ServiceNode = "192.0.2.1";
    private static readonly string[] Vteps = ["192.0.2.11", "192.0.2.12", "192.0.2.13"];
    private static readonly string[] Overlay = ["203.0.113.11", "203.0.113.12", "203.0.113.13"];

    [KernelFact]
    public void HeadEnd_SharedKeyVtepsConvergeForeignKeyRefused_VxrdRestartsLoseNoPing()
    {
        var temp = Directory.CreateTempSubdirectory("hardening-e2e-");
        var underlay = new BridgedUnderlay("hule2e");
        var daemons = new List<DaemonProcess>();
        try
        {
            string shared = WriteKeys(temp, "shared", 1);
            string foreign = WriteKeys(temp, "foreign", 1); // same id, other key: bad_signature at the service node
            var sn = underlay.Add("hsne2e", ServiceNode, 24);
            var v = Vteps.Select((a, i) => underlay.Add($"hve2e{i + 1}", a, 24)).ToArray();
            for (int i = 0; i < 3; i++)
            {
                v[i].Exec("ip", "link", "add", "vxlan100", "type", "vxlan", "id", "100", "local", Vteps[i], "dstport", "4789");
                v[i].Exec("ip", "addr", "add", Overlay[i] + "/24", "dev", "vxlan100");
                v[i].Exec("ip", "link", "set", "vxlan100", "up");
            }

            var snd = DaemonProcess.StartBuilt(sn, "vxsnd", $"--ServiceNode:ControlAddress={ServiceNode}", $"--ServiceNode:Authentication:KeyFile={shared}",
                $"--ServiceNode:Registry:StaticEntriesFile={temp.FullName}/static", $"--ServiceNode:ManagementSocket={temp.FullName}/vxsnd.sock",
                "--ServiceNode:Metrics:Endpoint=127.0.0.1:9501", "--ServiceNode:Cluster:SyncPort=0");
            daemons.Add(snd);
            WaitFor("vxsnd listening", TimeSpan.FromSeconds(20), () => File.Exists($"{temp.FullName}/vxsnd.sock"), snd);
            string[] keys = [shared, shared, foreign];
            for (int i = 0; i < 3; i++)
            {
                File.WriteAllText(Config(temp, i), JsonSerializer.Serialize(new
                {
                    RegistrationDaemon = new
                    {
                        ServiceNode, Mode = "HeadEnd", HoldTime = "00:00:09", RefreshRate = 3, ReconcileInterval = "00:00:02",
                        ManagementSocket = Socket(temp, i), Authentication = new { KeyFile = keys[i] },
                    },
                }));
            }
            var rd = new DaemonProcess[3];
            for (int i = 0; i < 3; i++) { rd[i] = DaemonProcess.StartBuilt(v[i], "vxrd", "--config", Config(temp, i)); daemons.Add(rd[i]); }
            for (int i = 0; i < 3; i++) WaitFor($"vxrd {i + 1} listening", TimeSpan.FromSeconds(20), () => File.Exists(Socket(temp, i)), rd[i]);

            WaitFor("the shared-key VTEPs have each other", TimeSpan.FromSeconds(10),
                () => Same(DefaultDestinations(v[0]), [Vteps[1]]) && Same(DefaultDestinations(v[1]), [Vteps[0]]), [.. daemons]);
            Thread.Sleep(2000); // a few refreshes: the foreign-key VTEP keeps trying
            Assert.Equal([Vteps[1]], DefaultDestinations(v[0]));
            Assert.Empty(DefaultDestinations(v[2]));
            string metrics = HttpGet(sn, 9501, "/metrics");
            var badSignature = BadSignature().Match(metrics);
            Assert.True(badSignature.Success && double.Parse(badSignature.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) > 0, metrics);
            output.WriteLine($"foreign-key VTEP refused: vxsnd_control_dropped_total{{reason=\"bad_signature\"}} {badSignature.Groups[1].Value}; it holds no entry and is in no peer list");

            // A ping across the overlay runs while vxrd on VTEP 1 restarts twice.
            Assert.Equal(0, v[0].Try("ping", "-c", "3", "-W", "2", Overlay[1]).ExitCode);
            var ping = v[0].Start("ping", ["-i", "0.1", "-c", "120", "-W", "1", Overlay[1]]);
            Thread.Sleep(2000);
            Assert.Equal(0, rd[0].Terminate(TimeSpan.FromSeconds(15)));
            rd[0] = DaemonProcess.StartBuilt(v[0], "vxrd", "--config", Config(temp, 0));
            daemons.Add(rd[0]);
            WaitFor("vxrd 1 back", TimeSpan.FromSeconds(20), () => File.Exists(Socket(temp, 0)), rd[0]);
            Thread.Sleep(2000);
            rd[0].Kill();
            rd[0] = DaemonProcess.StartBuilt(v[0], "vxrd", "--config", Config(temp, 0));
            daemons.Add(rd[0]);
            WaitFor("vxrd 1 back after SIGKILL", TimeSpan.FromSeconds(20), () => File.Exists(Socket(temp, 0)), rd[0]);
            string pingOutput = ping.StandardOutput.ReadToEnd();
            Assert.True(ping.WaitForExit(30_000));
            var stats = PingStats().Match(pingOutput);
            Assert.True(stats.Success, pingOutput);
            output.WriteLine($"ping during two vxrd restarts (SIGTERM, SIGKILL): {stats.Groups[1].Value} sent, {stats.Groups[2].Value} received");
            Assert.Equal(stats.Groups[1].Value, stats.Groups[2].Value);
            Assert.Equal([Vteps[1]], DefaultDestinations(v[0]));
        }
        finally
        {
            foreach (var d in daemons) d.Dispose();
            underlay.Dispose();
            try { temp.Delete(recursive: true); } catch (IOException) { }
        }
    }

    private static string WriteKeys(DirectoryInfo temp, string name, uint id)
    {
        string path = Path.Combine(temp.FullName, name + ".keys");
        File.WriteAllText(path, AuthKeyFileFormat.FormatLine(id, AuthKeyRing.GenerateKey(), primary: true) + "\n");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return path;
    }

    /// <summary>A plain HTTP/1.0 GET over a socket created inside the namespace (no curl needed).</summary>
    private static string HttpGet(NetworkNamespace ns, int port, string path)
    {
        using var socket = ns.Enter(() => new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.InterNetwork,
            System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp));
        socket.ReceiveTimeout = 10_000;
        socket.Connect(System.Net.IPAddress.Loopback, port);
        socket.Send(System.Text.Encoding.ASCII.GetBytes($"GET {path} HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n"));
        using var stream = new System.Net.Sockets.NetworkStream(socket);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private static string Config(DirectoryInfo temp, int i) => Path.Combine(temp.FullName, $"vxrd{i + 1}.json");

    private static string Socket(DirectoryInfo temp, int i) => Path.Combine(temp.FullName, $"vxrd{i + 1}.sock");

    [GeneratedRegex(@"vxsnd_control_dropped_total\{[^}]*reason=""bad_signature""[^}]*\}\s+(\S+)")]
    private static partial Regex BadSignature();

    [GeneratedRegex(@"(\d+) packets transmitted, (\d+) received")]
    private static partial Regex PingStats();
}
