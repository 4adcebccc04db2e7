using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Replicator.Hosting.Authentication;
using Replicator.Protocol.Control;
using Replicator.TestSupport;
using Xunit.Abstractions;
using static Replicator.EndToEnd.Tests.Support.OverlayChecks;

namespace Replicator.EndToEnd.Tests.Hostile;

/// <summary>
/// Issue 13, probes 1 and 5, against the real vxsnd in namespaces with <c>AllowUnauthenticated</c>
/// (and a key file, so that a key holder can be played too): a hostile VTEP registers the node's own
/// data address (or 127.0.0.1 while the data plane listens on the wildcard), unsigned (refused as
/// <c>source_mismatch</c>: not its own address) and signed (refused by the address policy), and a
/// member sends one BUM datagram: the node must receive exactly that datagram (0 loop copies) and
/// the other member exactly one copy. And the registry refuses loopback, link-local, reserved,
/// directed-broadcast and own addresses, counted, even from a key holder.
/// </summary>
[Collection(KernelCollection.Name)]
public sealed partial class LoopProbeTests(ITestOutputHelper output)
{
    private const string Node = "192.0.2.1";
    private const string Member1 = "192.0.2.11";
    private const string Member2 = "192.0.2.12";
    private const uint Vni = 100;
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(3);

    [KernelTheory]
    [InlineData(Node, null)]             // the node's own data address
    [InlineData("127.0.0.1", "0.0.0.0")] // loopback, with the data plane on the wildcard
    public void Probe1_RegisterOwnAddressThenOneBumDatagram_NoLoopCopies(string hostile, string? dataAddress)
    {
        using var lab = Lab.Start("lp1", dataAddress);
        lab.Register(lab.Member1, "member-1", Member1);
        lab.Register(lab.Member2, "member-2", Member2);
        lab.WaitForEntries(2);
        lab.Register(lab.Member1, "hostile", hostile);               // unsigned: only its own address may be named
        lab.Register(lab.Member1, "hostile", hostile, signed: true); // a key holder: the address policy
        WaitFor("the hostile registrations refused", TimeSpan.FromSeconds(10),
            () => lab.Refused() >= 1 && lab.Metric(SourceMismatch()) >= 1, lab.Daemon);

        using var receiver = lab.Member2.Enter(() => new UdpClient(new IPEndPoint(IPAddress.Parse(Member2), 4789)));
        receiver.Client.ReceiveTimeout = 200;
        using (var sender = lab.Member1.Enter(() => new UdpClient(new IPEndPoint(IPAddress.Parse(Member1), 0))))
        {
            sender.Send(BumDatagram(), new IPEndPoint(IPAddress.Parse(Node), 4789));
        }
        int copies = 0;
        IPEndPoint? from = null;
        var until = DateTime.UtcNow + Settle; // a loop shows in milliseconds (449,676 datagrams in 3 s before the fix)
        while (DateTime.UtcNow < until)
        {
            try
            {
                receiver.Receive(ref from);
                copies++;
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.TimedOut or SocketError.WouldBlock)
            {
            }
        }
        long received = lab.Metric(DatagramsReceived());
        long loopCopies = received - 1;
        output.WriteLine($"probe 1 ({hostile} registered, DataAddress {dataAddress ?? "= ControlAddress"}): datagrams_received {received} for 1 sent, loop copies {loopCopies}; member 2 received {copies} copy/copies; refused by the address policy {lab.Refused()}, as source_mismatch {lab.Metric(SourceMismatch())}");
        Assert.Equal(0, loopCopies);
        Assert.Equal(1, copies);
    }

    [KernelFact]
    public void Probe5_UnusableAndOwnAddresses_AllRefusedAndCounted()
    {
        string[] refused = ["127.0.0.1", "::1", "169.254.1.1", "fe80::1", "240.0.0.1", "192.0.2.255", Node];
        using var lab = Lab.Start("lp5", null);
        foreach (var address in refused) lab.Register(lab.Member1, $"hostile-{address}", address, signed: true); // past the unsigned-source rule
        lab.Register(lab.Member1, "member-1", Member1);
        lab.WaitForEntries(1);
        WaitFor("every refusal counted", TimeSpan.FromSeconds(10), () => lab.Refused() >= refused.Length, lab.Daemon);

        long count = lab.Refused();
        string fdb = Cli("vxsnd", "fdb", "--socket", lab.Socket);
        foreach (var address in refused) Assert.DoesNotContain($" {address} ", " " + fdb.Replace('\n', ' ') + " ");
        var own = Shell.Run(DaemonExecutable.ForName("vxsnd"), "fdb", "add", "100", Node, "--socket", lab.Socket);
        var broadcast = Shell.Run(DaemonExecutable.ForName("vxsnd"), "fdb", "add", "100", "192.0.2.255", "--socket", lab.Socket);
        output.WriteLine($"probe 5: {count} of {refused.Length} registrations refused ({string.Join(", ", refused)}); 'fdb add 100 {Node}': {(own.Stderr + own.Stdout).Trim()}; 'fdb add 100 192.0.2.255': {(broadcast.Stderr + broadcast.Stdout).Trim()}");
        output.WriteLine(string.Join('\n', lab.MetricsText().Split('\n').Where(l => l.StartsWith("vxsnd_registry_addresses_refused_total", StringComparison.Ordinal))));
        Assert.Equal(refused.Length, count);
        Assert.Equal(refused.Length + 2, lab.Refused()); // and the two static entries
        Assert.NotEqual(0, own.ExitCode);
        Assert.Contains($"{Node} is one of this node's own addresses", own.Stderr + own.Stdout);
        Assert.NotEqual(0, broadcast.ExitCode);
        Assert.Contains("192.0.2.255 is a broadcast address", broadcast.Stderr + broadcast.Stdout);
    }

    /// <summary>A VXLAN header (I flag, <see cref="Vni"/>) and a 100-byte broadcast frame: 108 bytes.</summary>
    private static byte[] BumDatagram()
    {
        var datagram = new byte[108];
        datagram[0] = 0x08;
        datagram[4] = (byte)(Vni >> 16);
        datagram[5] = (byte)(Vni >> 8);
        datagram[6] = (byte)Vni;
        datagram.AsSpan(8, 6).Fill(0xFF); // destination MAC: broadcast
        datagram[14] = 0x02;              // source MAC: locally administered
        datagram[20] = 0x08;              // EtherType IPv4
        datagram[21] = 0x06;              // (ARP)
        return datagram;
    }

    [GeneratedRegex(@"^vxsnd_datagrams_received_total(?:\{[^}]*\})?\s+(\S+)", RegexOptions.Multiline)]
    private static partial Regex DatagramsReceived();

    [GeneratedRegex(@"^vxsnd_control_dropped_total\{[^}]*reason=""source_mismatch""[^}]*\}\s+(\S+)", RegexOptions.Multiline)]
    private static partial Regex SourceMismatch();

    [GeneratedRegex(@"^vxsnd_registry_addresses_refused_total\{[^}]*\}\s+(\S+)", RegexOptions.Multiline)]
    private static partial Regex AddressesRefused();

    [GeneratedRegex(@"^vxsnd_registry_entries\{[^}]*source=""registered""[^}]*\}\s+(\S+)", RegexOptions.Multiline)]
    private static partial Regex RegisteredEntries();

    /// <summary>vxsnd on <see cref="Node"/>/24 and two member namespaces on one bridge, torn down together.</summary>
    private sealed class Lab : IDisposable
    {
        private readonly BridgedUnderlay _underlay;
        private readonly DirectoryInfo _temp;

        private readonly AuthKeyRing _keys;

        private Lab(BridgedUnderlay underlay, DirectoryInfo temp, NetworkNamespace node, NetworkNamespace member1, NetworkNamespace member2, DaemonProcess daemon)
        {
            _underlay = underlay;
            _temp = temp;
            NodeNamespace = node;
            Member1 = member1;
            Member2 = member2;
            Daemon = daemon;
            _keys = AuthKeyFileFormat.Parse(File.ReadAllText(Path.Combine(temp.FullName, "keys")));
        }

        public NetworkNamespace NodeNamespace { get; }
        public NetworkNamespace Member1 { get; }
        public NetworkNamespace Member2 { get; }
        public DaemonProcess Daemon { get; }
        public string Socket => Path.Combine(_temp.FullName, "vxsnd.sock");

        public static Lab Start(string tag, string? dataAddress)
        {
            var temp = Directory.CreateTempSubdirectory("loop-probe-");
            var underlay = new BridgedUnderlay($"{tag}u");
            try
            {
                var node = underlay.Add($"{tag}n", Node, 24);
                var member1 = underlay.Add($"{tag}a", LoopProbeTests.Member1, 24);
                var member2 = underlay.Add($"{tag}b", LoopProbeTests.Member2, 24);
                node.Exec("ip", "link", "set", "lo", "up");
                string[] args =
                [
                    $"--ServiceNode:ControlAddress={Node}", "--ServiceNode:Authentication:AllowUnauthenticated=true",
                    $"--ServiceNode:Authentication:KeyFile={TestKeyFile.Write(temp.FullName)}", // transitional: signed and unsigned
                    $"--ServiceNode:Registry:StaticEntriesFile={temp.FullName}/static", $"--ServiceNode:ManagementSocket={temp.FullName}/vxsnd.sock",
                    "--ServiceNode:Metrics:Endpoint=127.0.0.1:9501", "--ServiceNode:Cluster:SyncPort=0", "--ServiceNode:DataPlane:Workers=1",
                    .. dataAddress is null ? Array.Empty<string>() : [$"--ServiceNode:DataPlane:Address={dataAddress}"],
                ];
                var daemon = DaemonProcess.StartBuilt(node, "vxsnd", args);
                var lab = new Lab(underlay, temp, node, member1, member2, daemon);
                WaitFor("vxsnd listening", TimeSpan.FromSeconds(20), () => File.Exists(lab.Socket) && lab.TryMetrics() is not null, daemon);
                return lab;
            }
            catch
            {
                underlay.Dispose();
                temp.Delete(recursive: true);
                throw;
            }
        }

        /// <summary>One Register of <paramref name="address"/> in <see cref="Vni"/>, from <paramref name="from"/>, unsigned or signed with the node's key.</summary>
        public void Register(NetworkNamespace from, string nodeId, string address, bool signed = false)
        {
            var message = new RegisterMessage(nodeId, 300, false, WireResponseWanted.None, [new VniAddresses(Vni, [IPAddress.Parse(address)])]);
            var datagrams = ControlCodec.EncodeRegister(message, reserveAuthenticationTrailer: signed);
            if (signed) _keys.SignAll(datagrams, TimeProvider.System);
            using var udp = from.Enter(() => new UdpClient(AddressFamily.InterNetwork));
            foreach (var datagram in datagrams) udp.Send(datagram, new IPEndPoint(IPAddress.Parse(Node), 10001));
        }

        public void WaitForEntries(int count) =>
            WaitFor($"{count} registered entries", TimeSpan.FromSeconds(10), () => Metric(RegisteredEntries()) == count, Daemon);

        public long Refused() => Sum(AddressesRefused());

        public long Metric(Regex regex) => Sum(regex);

        public string MetricsText() => TryMetrics() ?? "";

        private long Sum(Regex regex)
        {
            string text = MetricsText();
            return regex.Matches(text).Sum(m => (long)double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture));
        }

        /// <summary>GET /metrics over a socket made inside the node's namespace (no curl needed); null when not answering yet.</summary>
        public string? TryMetrics()
        {
            try
            {
                using var socket = NodeNamespace.Enter(() => new System.Net.Sockets.Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp));
                socket.ReceiveTimeout = 10_000;
                socket.Connect(IPAddress.Loopback, 9501);
                socket.Send("GET /metrics HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n"u8);
                using var stream = new NetworkStream(socket);
                using var reader = new StreamReader(stream);
                return reader.ReadToEnd();
            }
            catch (SocketException)
            {
                return null;
            }
        }

        public void Dispose()
        {
            Daemon.Dispose();
            _underlay.Dispose();
            try { _temp.Delete(recursive: true); } catch (IOException) { }
        }
    }
}
