using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Replicator.ServiceNode.Registry;
using Replicator.ServiceNode.Replication;
using Replicator.TestSupport;

namespace Replicator.ServiceNode.Tests.Replication;

[Collection(KernelCollection.Name)]
public class ReplicationKernelTests
{
    [KernelTheory]
    [InlineData(false, nameof(TransmitPath.Raw))]
    [InlineData(true, nameof(TransmitPath.Raw))]
    [InlineData(false, nameof(TransmitPath.Packet))]
    [InlineData(true, nameof(TransmitPath.Packet))]
    public void Workers_ThreeVtepsInServiceNodeMode_ReplicateWithOriginalSource(bool ipv6, string transmitName)
    {
        var transmit = Enum.Parse<TransmitPath>(transmitName);
        using var lab = new ReplicationLab(ipv6);
        var table = new MemberTable();
        table.Publish(new VniMembers(100, [lab.VtepAddress(1), lab.VtepAddress(2), lab.VtepAddress(3)]));
        table.Publish(new VniMembers(200, [lab.VtepAddress(1), lab.VtepAddress(2)]));
        var settings = new ReplicationSettings { DataAddress = lab.ServiceNodeAddress, Workers = 2, Transmit = transmit };
        IpCommandNextHops? hops = null;
        if (transmit == TransmitPath.Packet)
        {
            // The service node has talked to every VTEP: their neighbour entries exist, so the packet path serves them.
            hops = new IpCommandNextHops(lab.ServiceNode);
            for (int i = 1; i <= 3; i++) lab.ServiceNode.Exec("ping", "-c", "1", "-W", "2", lab.VtepAddress(i).ToString());
            hops.Resolve([lab.VtepAddress(1), lab.VtepAddress(2), lab.VtepAddress(3)]);
            Assert.All(hops.Current.All, h => Assert.True(h.IsUsable, $"{h.Destination}: {h.State}"));
        }
        string pcap = Path.Combine(Path.GetTempPath(), $"rpl-dp-{Environment.ProcessId}-{(ipv6 ? 6 : 4)}.pcapng");
        // The capture runs before the workers' sockets exist: a datagram the VTEPs' kernels send on
        // their own (MLD, router solicitations) and the sockets queue is then captured as well as its copies.
        var capture = StartCapture(lab, pcap);
        ReplicationWorker[] workers = [];
        try
        {
            // Sockets are created inside the service node's namespace; the worker threads need not be.
            workers = NamespaceThread.Run(lab.ServiceNode.Name, () => new[]
            {
                new ReplicationWorker(0, settings, table, null, null, nextHops: hops),
                new ReplicationWorker(1, settings, table, null, null, nextHops: hops),
            });
            Assert.All(workers, w => Assert.Equal(transmit == TransmitPath.Packet, w.HasPacketPath));
            foreach (var w in workers) w.Start();

            // Every host pair in VNI 100 pings (ARP is BUM: it goes through the service node).
            for (int a = 1; a <= 3; a++)
            {
                for (int b = a + 1; b <= 3; b++)
                {
                    var r = lab.Hosts[a - 1].Try("ping", "-c", "2", "-i", "0.2", "-W", "2", ReplicationLab.HostAddress(b));
                    Assert.True(r.ExitCode == 0, $"h{a} -> h{b} failed: {r.Stdout} {r.Stderr}");
                }
            }

            // VNI 200 from VTEP 1 (registered) reaches VTEP 2 only; from VTEP 3 (not registered in 200) nothing.
            SendVxlan(lab.Vteps[0], lab.ServiceNodeAddress, 200);
            SendVxlan(lab.Vteps[2], lab.ServiceNodeAddress, 200);
            WaitFor(() => workers.Sum(w => w.Counters.DroppedFor(DropReason.UnregisteredSender)) >= 1, TimeSpan.FromSeconds(3));
            Thread.Sleep(300);
        }
        finally
        {
            StopCapture(capture);
            foreach (var w in workers) w.Dispose();
        }

        // The receiving kernel learned h1 behind VTEP 1 itself, not behind the service node.
        string fdb = lab.Vteps[1].Exec("bridge", "fdb", "show", "dev", "vxlan100");
        var h1 = fdb.Split('\n').Where(l => l.StartsWith(ReplicationLab.HostMac(1))).Select(l => l.Split(' ')).ToList();
        Assert.Contains(h1, f => f.Length > 2 && f[1] == "dst" && f[2] == lab.VtepAddress(1).ToString());
        Assert.DoesNotContain(h1, f => f.Length > 2 && f[1] == "dst" && f[2] == lab.ServiceNodeAddress.ToString());

        var frames = ReadCapture(pcap, ipv6);
        File.Delete(pcap);
        string sn = lab.ServiceNodeAddress.ToString();
        string[] vteps = [lab.VtepAddress(1).ToString(), lab.VtepAddress(2).ToString(), lab.VtepAddress(3).ToString()];
        // Copies: VXLAN frames the service node put on the wire (its MAC), each with a VTEP's source.
        var copies = frames.Where(f => f.EthSource == frames.First(g => g.Destination == sn).EthDestination).ToList();
        var copies100 = copies.Where(f => f.Vni == 100).ToList();
        Assert.NotEmpty(copies100);
        Assert.All(copies, f => Assert.Contains(f.Source, vteps));
        Assert.All(copies, f => Assert.NotEqual(f.Source, f.Destination));
        Assert.Contains(copies100, f => f.Source == vteps[0] && f.Destination == vteps[1]);
        // Each copy carries the source address and port of a datagram its sender sent to the service node.
        var originals = frames.Where(f => f.Destination == sn).Select(f => (f.Source, f.SourcePort, f.Vni)).ToHashSet();
        Assert.All(copies, f => Assert.Contains((f.Source, f.SourcePort, f.Vni), originals));
        // VNI 200 (VTEPs 1 and 2; their bridges also send IPv6 MLD/RS of their own): nothing to or from VTEP 3.
        var copies200 = copies.Where(f => f.Vni == 200).ToList();
        Assert.Contains(copies200, f => f.Source == vteps[0] && f.Destination == vteps[1]);
        Assert.All(copies200, f => Assert.NotEqual(vteps[2], f.Source));
        Assert.DoesNotContain(frames, f => f.Vni == 200 && f.Destination == vteps[2]);
        Assert.Equal(1, workers.Sum(w => w.Counters.DroppedFor(DropReason.UnregisteredSender)));
        Assert.Equal(0, workers.Sum(w => w.Counters.SendErrors));
        long packet = workers.Sum(w => w.Counters.CopiesAsFrames), raw = workers.Sum(w => w.Counters.CopiesOn(CopyPath.Raw));
        if (transmit == TransmitPath.Packet)
        {
            // Every copy went as a prebuilt frame: the VTEPs' kernels accepted them (pings, learning above).
            Assert.True(packet > 0 && raw == 0, $"packet {packet}, raw {raw}");
        }
        else
        {
            Assert.True(packet == 0 && raw > 0, $"packet {packet}, raw {raw}");
        }
    }

    private sealed record Frame(string EthSource, string EthDestination, string Source, string Destination, int SourcePort, int Vni);

    private static void SendVxlan(NetworkNamespace from, IPAddress serviceNode, uint vni)
    {
        NamespaceThread.Run(from.Name, () =>
        {
            using var udp = new UdpClient(serviceNode.AddressFamily);
            // A broadcast inner frame, as a VTEP would send for ARP.
            var datagram = Datagrams.Vxlan(vni, 60);
            datagram.AsSpan(8, 6).Fill(0xFF);
            udp.Send(datagram, new IPEndPoint(serviceNode, 4789));
            return 0;
        });
    }

    /// <summary>
    /// Starts tshark on the underlay and returns once it has captured a probe: "Capturing on" is printed
    /// before the capture really runs, and a datagram replicated in between would show without its original.
    /// The probe (VNI 999, VTEP 3 to the service node before any worker listens) is an original of no copy.
    /// </summary>
    private static Process StartCapture(ReplicationLab lab, string file)
    {
        // -P -l: a summary line per captured packet on stdout, flushed, while writing the file.
        var p = lab.Underlay.Start("tshark", ["-i", "br0", "-f", "udp port 4789", "-w", file, "-P", "-l", "-a", "duration:30"]);
        var ready = new ManualResetEventSlim();
        var captured = new ManualResetEventSlim();
        p.ErrorDataReceived += (_, e) => { if (e.Data?.Contains("Capturing on") == true) ready.Set(); };
        p.BeginErrorReadLine();
        p.OutputDataReceived += (_, e) => { if (!string.IsNullOrWhiteSpace(e.Data)) captured.Set(); };
        p.BeginOutputReadLine();
        Assert.True(ready.Wait(TimeSpan.FromSeconds(15)), "tshark did not start capturing");
        var deadline = Stopwatch.StartNew();
        while (!captured.Wait(TimeSpan.FromMilliseconds(200)) && deadline.Elapsed < TimeSpan.FromSeconds(15))
        {
            SendVxlan(lab.Vteps[2], lab.ServiceNodeAddress, 999);
        }
        Assert.True(captured.IsSet, "tshark captured no probe");
        return p;
    }

    private static void StopCapture(Process p)
    {
        Shell.Run("kill", "-INT", p.Id.ToString());
        if (!p.WaitForExit(10_000)) p.Kill(entireProcessTree: true);
        p.Dispose();
    }

    private static List<Frame> ReadCapture(string file, bool ipv6)
    {
        string ip = ipv6 ? "ipv6" : "ip";
        string output = Shell.Check("tshark", "-r", file, "-Y", "vxlan", "-T", "fields", "-E", "separator=;",
            "-e", "eth.src", "-e", "eth.dst", "-e", $"{ip}.src", "-e", $"{ip}.dst", "-e", "udp.srcport", "-e", "vxlan.vni");
        var frames = new List<Frame>();
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            // Inner Ethernet/IP fields repeat after a comma; the first value is the outer header's.
            var f = line.Split(';').Select(v => v.Split(',')[0]).ToArray();
            frames.Add(new Frame(f[0], f[1], f[2], f[3], int.Parse(f[4]), int.Parse(f[5])));
        }
        return frames;
    }

    private static void WaitFor(Func<bool> condition, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (!condition() && deadline.Elapsed < timeout) Thread.Sleep(20);
    }
}
