using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.RegularExpressions;
using Replicator.EndToEnd.Tests.Support;
using Replicator.Protocol.Control;
using Replicator.TestSupport;
using Xunit.Abstractions;
using static Replicator.EndToEnd.Tests.Support.OverlayChecks;

namespace Replicator.EndToEnd.Tests.Hostile;

/// <summary>
/// Issue 13, probe 2, against a real vxsnd without authentication (<c>AllowUnauthenticated</c>):
/// a 17-byte Register asking for every VNI, "from" a victim that never echoes a cookie, must bring
/// the victim at most 3x the bytes sent, however large the registry. The registry is filled by
/// registrations of their own addresses from many sources (documentation addresses on a "crowd"
/// namespace routed behind the underlay). The victim's socket sends the probe itself: to vxsnd that
/// is exactly a forged source (an address that never answers with its cookie), and the socket counts
/// everything vxsnd sends it. A real vxrd, by contrast, echoes its cookie, is proven within one round
/// trip, receives its whole list and every later push.
/// </summary>
[Collection(KernelCollection.Name)]
public sealed partial class AmplificationProbeTests(ITestOutputHelper output)
{
    private const string ServiceNode = "192.0.2.1";
    private const string Crowd = "192.0.2.2";
    private const string Victim = "203.0.113.66";
    private const int ControlPort = 10001;

    [KernelFact]
    public void Probe2_SpoofedAllVnisRegister_VictimGetsAtMostThreeTimesAndAnEchoingVtepGetsEverything()
    {
        const int sources = 200, vnisPerSource = 40, vniSpan = 400;
        using var lab = new Lab("amp", output);
        var snd = lab.StartServiceNode(9511);
        // Each source registers its own address in 40 of 400 VNIs: 8000 entries, 20 per VNI.
        lab.Fill(1, sources, s => [.. Enumerable.Range(0, vnisPerSource).Select(k => (uint)(1000 + (s * 7 + k * 10) % vniSpan))]);
        WaitFor("the registry holds every entry", TimeSpan.FromSeconds(30),
            () => Metric(lab.Scrape(), "vxsnd_registry_entries") == sources * vnisPerSource, snd);

        // An honest client registers its own address in every VNI and asks for all of them: unproven,
        // it gets at most 3x what it sent (its cookie in place of the 50 KB answer), echoes the
        // cookie, and then gets the whole registry.
        var honestAddress = IPAddress.Parse("198.51.100.254");
        using var honest = lab.CrowdSocket(honestAddress);
        var ask = new RegisterMessage("honest", 90, false, WireResponseWanted.AllVnis,
            [.. Enumerable.Range(0, vniSpan).Select(v => new VniAddresses((uint)(1000 + v), [honestAddress]))]);
        long asked = 0;
        int askDatagrams = 0;
        foreach (byte[] d in ControlCodec.EncodeRegister(ask))
        {
            asked += honest.SendTo(d, lab.ControlEndPoint);
            askDatagrams++;
        }
        var first = Collect(honest, TimeSpan.FromSeconds(1));
        Assert.InRange(first.Bytes, 1, 3 * asked);
        var lists = first.Messages.OfType<PeerListMessage>().ToList();
        Assert.Contains(lists, m => m.Vnis.Count == 0);
        UInt128 cookie = Assert.Single(lists.Select(m => m.Cookie).Distinct())!.Value;
        foreach (byte[] d in ControlCodec.EncodeRegister(ask with { Cookie = cookie })) honest.SendTo(d, lab.ControlEndPoint);
        var full = Collect(honest, TimeSpan.FromSeconds(1));
        int vnis = full.Messages.OfType<PeerListMessage>().SelectMany(m => m.Vnis).Select(v => v.Vni).Distinct().Count();
        output.WriteLine($"registry: {sources * vnisPerSource + vniSpan} entries in {vniSpan} VNIs; an unproven client that sent {asked} bytes got " +
            $"{first.Datagrams} datagrams, {first.Bytes} bytes; after echoing its cookie: {full.Datagrams} datagrams, {full.Bytes} bytes, {vnis} VNIs");
        Assert.Equal(vniSpan, vnis);
        Assert.True(full.Bytes > 40_000, $"the full answer is {full.Bytes} bytes: the probe below would not mean much");

        // Probe 2: five 17-byte Registers asking for every VNI, from the victim's address: the victim
        // holds no VNI, so an unsigned source is answered nothing (the AllVnis rule). Then five that
        // also register the victim in one VNI: answered that VNI only, within the victim's budget.
        using var victim = lab.CrowdSocket(IPAddress.Parse(Victim));
        byte[] probe = ControlCodec.Encode(new RegisterMessage("v", 90, false, WireResponseWanted.AllVnis, []));
        Assert.Equal(17, probe.Length);
        byte[] joining = ControlCodec.Encode(new RegisterMessage("v", 90, false, WireResponseWanted.AllVnis, [new VniAddresses(1000, [IPAddress.Parse(Victim)])]));
        long sent = 0;
        foreach (byte[] d in Enumerable.Repeat(probe, 5).Concat(Enumerable.Repeat(joining, 5)))
        {
            victim.SendTo(d, lab.ControlEndPoint);
            sent += d.Length;
            Thread.Sleep(100);
        }
        var received = Collect(victim, TimeSpan.FromSeconds(2));
        double factor = (double)received.Bytes / sent;
        output.WriteLine($"probe 2: attacker sent {sent} bytes in 10 datagrams (5 x {probe.Length}, 5 x {joining.Length}); the victim received {received.Datagrams} datagrams, {received.Bytes} bytes: " +
            $"amplification factor {factor.ToString("F2", CultureInfo.InvariantCulture)} (the full answer, {full.Bytes} bytes, would be {(double)full.Bytes / probe.Length:F0}x)");
        Assert.InRange(factor, 0, 3);
        string metrics = lab.Scrape();
        foreach (string line in metrics.Split('\n').Where(l => l.StartsWith("vxsnd_control_", StringComparison.Ordinal))) output.WriteLine(line);
        output.WriteLine($"vxsnd_control_budget_withheld_total {Metric(metrics, "vxsnd_control_budget_withheld_total")}, " +
            $"vxsnd_control_cookie_lists_total {Metric(metrics, "vxsnd_control_cookie_lists_total")}");
        Assert.True(Metric(metrics, "vxsnd_control_budget_withheld_total") >= 2); // the honest client's first answer and the victim's first VNI list at least
        Assert.True(Metric(metrics, "vxsnd_control_cookie_lists_total") >= 2);
        // Without a cookie: the crowd's registrations, the honest client's first ask, the ten probes.
        Assert.Equal(sources + askDatagrams + 10, Metric(metrics, "vxsnd_control_cookies_total", "result=\"absent\""));
        Assert.Equal(askDatagrams, Metric(metrics, "vxsnd_control_cookies_total", "result=\"valid\""));
    }

    [KernelFact]
    public void RealVxrd_Unauthenticated_BigVni_ProvenConvergesAndPushesFlow()
    {
        using var lab = new Lab("ampv", output);
        var snd = lab.StartServiceNode(9512);
        var vtep = lab.Underlay.Add("ampvtep", "192.0.2.11", 24);
        vtep.Exec("ip", "link", "add", "vxlan100", "type", "vxlan", "id", "100", "local", "192.0.2.11", "dstport", "4789");
        vtep.Exec("ip", "link", "set", "vxlan100", "up");
        // 150 members in VNI 100 (a 900-byte list, far over 3x vxrd's first registration).
        lab.Fill(1, 150, _ => [100]);
        WaitFor("150 entries", TimeSpan.FromSeconds(30), () => Metric(lab.Scrape(), "vxsnd_registry_entries") == 150, snd);

        string config = Path.Combine(lab.Temp.FullName, "vxrd.json");
        File.WriteAllText(config, JsonSerializer.Serialize(new
        {
            RegistrationDaemon = new
            {
                ServiceNode, Mode = "HeadEnd", HoldTime = "00:03:00", RefreshRate = 3, Authentication = new { AllowUnauthenticated = true },
                ManagementSocket = Path.Combine(lab.Temp.FullName, "vxrd.sock"),
            },
        }));
        var rd = lab.Track(DaemonProcess.StartBuilt(vtep, "vxrd", "--config", config));
        var took = WaitFor("vxrd programs all 150 members", TimeSpan.FromSeconds(20), () => DefaultDestinations(vtep).Count == 150, snd, rd);
        string metrics = lab.Scrape();
        double withheld = Metric(metrics, "vxsnd_control_budget_withheld_total");
        output.WriteLine($"vxrd converged on 150 peers in {took.TotalSeconds:F1} s (a refresh would take 45 s or more); " +
            $"cookie-only lists {Metric(metrics, "vxsnd_control_cookie_lists_total")}, valid cookies {Metric(metrics, "vxsnd_control_cookies_total", "result=\"valid\"")}, withheld {withheld}");
        Assert.True(Metric(metrics, "vxsnd_control_cookies_total", "result=\"valid\"") >= 1);

        // 100 more members: the push reaches the proven vxrd at once, nothing withheld.
        lab.Fill(151, 100, _ => [100]);
        took = WaitFor("vxrd programs the 100 new members from a push", TimeSpan.FromSeconds(10), () => DefaultDestinations(vtep).Count == 250, snd, rd);
        metrics = lab.Scrape();
        output.WriteLine($"push of 100 new members programmed in {took.TotalSeconds:F1} s; withheld still {Metric(metrics, "vxsnd_control_budget_withheld_total")}");
        Assert.Equal(withheld, Metric(metrics, "vxsnd_control_budget_withheld_total"));
    }

    private static (int Datagrams, long Bytes, List<ControlMessage> Messages) Collect(Socket socket, TimeSpan quiet)
    {
        var buffer = new byte[ControlLimits.MaxDatagramBytes];
        var messages = new List<ControlMessage>();
        int datagrams = 0;
        long bytes = 0;
        socket.ReceiveTimeout = (int)quiet.TotalMilliseconds;
        while (true)
        {
            int n;
            try
            {
                n = socket.Receive(buffer);
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.TimedOut or SocketError.WouldBlock)
            {
                return (datagrams, bytes, messages);
            }
            datagrams++;
            bytes += n;
            if (ControlCodec.TryDecode(buffer.AsSpan(0, n), out var m, out _)) messages.Add(m);
        }
    }

    /// <summary>Sum of the series of <paramref name="name"/> (those matching <paramref name="label"/> when given); 0 when absent.</summary>
    private static double Metric(string exposition, string name, string? label = null)
    {
        double sum = 0;
        foreach (Match m in Series().Matches(exposition))
        {
            if (m.Groups[1].Value != name || (label is not null && !m.Groups[2].Value.Contains(label, StringComparison.Ordinal))) continue;
            sum += double.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture);
        }
        return sum;
    }

    [GeneratedRegex(@"^([a-z_]+)(\{[^}]*\})?\s+(\S+)", RegexOptions.Multiline)]
    private static partial Regex Series();

    /// <summary>
    /// The underlay: vxsnd's namespace and a "crowd" namespace that holds every other address (the
    /// registering sources 198.51.100.x and the victim), routed through it.
    /// </summary>
    private sealed class Lab : IDisposable
    {
        private readonly List<IDisposable> _owned = [];
        private readonly ITestOutputHelper _output;
        private readonly NetworkNamespace _sn;
        private readonly NetworkNamespace _crowd;

        public Lab(string tag, ITestOutputHelper output)
        {
            _output = output;
            Temp = Directory.CreateTempSubdirectory("amplification-");
            Underlay = new BridgedUnderlay(tag + "ul");
            try
            {
                _sn = Underlay.Add(tag + "sn", ServiceNode, 24);
                _crowd = Underlay.Add(tag + "cr", Crowd, 24);
                string batch = Path.Combine(Temp.FullName, "crowd.ip");
                File.WriteAllLines(batch, [.. Enumerable.Range(1, 254).Select(i => $"addr add 198.51.100.{i}/32 dev eth0"), $"addr add {Victim}/32 dev eth0"]);
                _crowd.Exec("ip", "-batch", batch);
                _sn.Exec("ip", "route", "add", "198.51.100.0/24", "via", Crowd);
                _sn.Exec("ip", "route", "add", "203.0.113.0/24", "via", Crowd);
            }
            catch
            {
                Underlay.Dispose();
                throw;
            }
        }

        public BridgedUnderlay Underlay { get; }

        public DirectoryInfo Temp { get; }

        public IPEndPoint ControlEndPoint { get; } = new(IPAddress.Parse(ServiceNode), ControlPort);

        private int MetricsPort { get; set; }

        public T Track<T>(T item) where T : IDisposable
        {
            _owned.Add(item);
            return item;
        }

        public DaemonProcess StartServiceNode(int metricsPort)
        {
            MetricsPort = metricsPort;
            var snd = Track(DaemonProcess.StartBuilt(_sn, "vxsnd", $"--ServiceNode:ControlAddress={ServiceNode}", "--ServiceNode:Authentication:AllowUnauthenticated=true",
                $"--ServiceNode:Registry:StaticEntriesFile={Temp.FullName}/static", $"--ServiceNode:ManagementSocket={Temp.FullName}/vxsnd.sock",
                $"--ServiceNode:Metrics:Endpoint=127.0.0.1:{metricsPort}", "--ServiceNode:Cluster:SyncPort=0"));
            WaitFor("vxsnd listening", TimeSpan.FromSeconds(20), () => File.Exists($"{Temp.FullName}/vxsnd.sock"), snd);
            WaitFor("vxsnd metrics", TimeSpan.FromSeconds(20), () => TryScrape() is not null, snd);
            return snd;
        }

        /// <summary>A UDP socket in the crowd namespace bound to <paramref name="address"/>.</summary>
        public Socket CrowdSocket(IPAddress address) => _crowd.Enter(() =>
        {
            var s = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            s.Bind(new IPEndPoint(address, 0));
            return s;
        });

        /// <summary>Sources 198.51.100.first .. first+count-1 each register their own address in the VNIs given (no answer wanted).</summary>
        public void Fill(int first, int count, Func<int, uint[]> vnisOf)
        {
            for (int i = first; i < first + count; i++)
            {
                var address = IPAddress.Parse($"198.51.100.{i}");
                using var socket = CrowdSocket(address);
                var register = new RegisterMessage($"crowd-{i}", 600, false, WireResponseWanted.None,
                    [.. vnisOf(i).Select(v => new VniAddresses(v, [address]))]);
                foreach (byte[] datagram in ControlCodec.EncodeRegister(register)) socket.SendTo(datagram, ControlEndPoint);
            }
        }

        public string Scrape() => TryScrape() ?? throw new InvalidOperationException("vxsnd's metrics endpoint does not answer");

        private string? TryScrape()
        {
            try
            {
                return _sn.Enter(() =>
                {
                    using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveTimeout = 10_000 };
                    socket.Connect(IPAddress.Loopback, MetricsPort);
                    socket.Send("GET /metrics HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n"u8);
                    using var reader = new StreamReader(new NetworkStream(socket));
                    return reader.ReadToEnd();
                });
            }
            catch (SocketException)
            {
                return null;
            }
        }

        public void Dispose()
        {
            foreach (var d in Enumerable.Reverse(_owned))
            {
                if (d is DaemonProcess p && p.HasExited && p.ExitCode != 0) _output.WriteLine(p.Output);
                d.Dispose();
            }
            Underlay.Dispose();
            try { Temp.Delete(recursive: true); } catch (IOException) { }
        }
    }
}
