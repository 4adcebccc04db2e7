using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Replicator.Linux.Native;
using Replicator.ServiceNode.Registry;
using Replicator.ServiceNode.Replication;
using Replicator.TestSupport;

namespace Replicator.ServiceNode.Tests.Replication;

/// <summary>
/// The packet path's TX rings against the real kernel, in a namespace with two veth pairs (r0-r1, r2-r3): frame
/// size from the MTU, a full ring falling back to sendmmsg, an interface left without a ring, and the mapping
/// released on disposal.
/// </summary>
[Collection(KernelCollection.Name)]
public sealed unsafe class PacketRingKernelTests : IDisposable
{
    private const uint Vni = 100;
    private static readonly IPAddress A = IPAddress.Parse("192.0.2.1");
    private static readonly IPAddress B = IPAddress.Parse("192.0.2.2");
    private static readonly IPAddress C = IPAddress.Parse("192.0.2.3");

    private readonly NetworkNamespace _ns;
    private readonly List<IDisposable> _owned = [];
    private readonly WorkerCounters _counters = new();

    public PacketRingKernelTests()
    {
        _ns = NetworkNamespace.Create("ring");
        try
        {
            _ns.Exec("ip", "link", "add", "r0", "type", "veth", "peer", "name", "r1");
            _ns.Exec("ip", "link", "add", "r2", "type", "veth", "peer", "name", "r3");
            foreach (string d in new[] { "r0", "r1", "r2", "r3" }) _ns.Exec("ip", "link", "set", d, "up");
        }
        catch
        {
            _ns.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        for (int i = _owned.Count - 1; i >= 0; i--) _owned[i].Dispose();
        _ns.Dispose();
    }

    private T Own<T>(T d) where T : IDisposable
    {
        _owned.Add(d);
        return d;
    }

    private int IfIndex(string device) => int.Parse(_ns.Exec("cat", $"/sys/class/net/{device}/ifindex").Trim(), CultureInfo.InvariantCulture);

    // Opened inside the namespace, as a worker's constructor does; mapped and bound later from this thread.
    private PacketRing NewRing(int frames = 64) =>
        Own(_ns.Enter(() => new PacketRing(ReplicationSockets.OpenPacket(1 << 20), frames, _counters)));

    [KernelFact]
    public void Attach_Mtu1500_FrameHoldsAFullSizedEthernetFrameThatLeaves()
    {
        var ring = NewRing();
        using var tap = _ns.Enter(() => new Socket(AddressFamily.Packet, SocketType.Raw, (ProtocolType)0xB588)); // htons(0x88B5), local experimental; sees what r1 receives (QDISC_BYPASS skips taps on r0)
        tap.ReceiveTimeout = 10_000;

        Assert.Equal(Errno.SUCCESS, ring.Attach(IfIndex("r0"), 1500));
        Assert.True(ring.MaxFrameLength >= LibC.ETH_HLEN + 1500, $"frame {ring.MaxFrameLength}");
        Assert.True(ring.TryReserve(ring.MaxFrameLength + 1) is null, "a frame larger than a slot was reserved");
        byte* frame = ring.TryReserve(LibC.ETH_HLEN + 1500);
        Assert.True(frame is not null);
        var span = new Span<byte>(frame, LibC.ETH_HLEN + 1500);
        span.Fill(0x5A);
        span[..6].Fill(0xFF); // broadcast: r1 takes it whatever its MAC
        span[6] = 0x02;
        span[12] = 0x88;
        span[13] = 0xB5;
        ring.Flush();

        var buffer = new byte[4096];
        int n = tap.Receive(buffer);
        Assert.Equal(LibC.ETH_HLEN + 1500, n);
        Assert.Equal(span.ToArray(), buffer[..n]);
        Assert.Equal(1, _counters.CopiesOn(CopyPath.PacketRing));

        // A larger MTU gets a new ring with larger frames.
        _ns.Exec("ip", "link", "set", "r0", "mtu", "9000");
        Assert.Equal(Errno.SUCCESS, ring.Attach(IfIndex("r0"), 9000));
        Assert.True(ring.MaxFrameLength >= LibC.ETH_HLEN + 9000, $"frame {ring.MaxFrameLength}");
    }

    [KernelFact]
    public void ProcessBatch_RingFramesStillInFlight_CopiesGoBySendmmsgCountedRingFull()
    {
        var ring = NewRing(frames: 16);
        _table.Publish(new VniMembers(Vni, [A, B]));
        _hops.Set(FixedNextHops.Usable(B, ifIndex: IfIndex("r0")));
        var (processor, packet) = Processor([ring]);

        Run(processor, A); // attaches the ring; the copy leaves through it
        Assert.Equal(1, _counters.CopiesOn(CopyPath.PacketRing));
        // Every frame as the kernel leaves it while a driver still holds it.
        SetAllStatuses(ring, LibC.TP_STATUS_SENDING);
        try
        {
            Run(processor, A);
            Run(processor, A);
        }
        finally
        {
            SetAllStatuses(ring, LibC.TP_STATUS_AVAILABLE);
        }
        Assert.Equal(2, _counters.FallbacksFor(PacketFallback.RingFull));
        Assert.Equal(2, _counters.CopiesOn(CopyPath.Packet));
        Assert.Equal(2, packet.Frames.Count);
        Assert.All(packet.Frames, f => Assert.Equal(IfIndex("r0"), f.InterfaceIndex));
        Run(processor, A); // frames back: the ring again
        Assert.Equal(2, _counters.CopiesOn(CopyPath.PacketRing));
    }

    [KernelFact]
    public void ProcessBatch_MoreEgressInterfacesThanRings_OneInterfaceBySendmmsgReportedOnce()
    {
        var ring = NewRing();
        _table.Publish(new VniMembers(Vni, [A, B, C]));
        _hops.Set(FixedNextHops.Usable(B, ifIndex: IfIndex("r0")), FixedNextHops.Usable(C, ifIndex: IfIndex("r2")));
        var reports = new List<(int, Errno)>();
        var (processor, packet) = Processor([ring], (i, e) => reports.Add((i, e)));

        Run(processor, A);
        Run(processor, A);

        Assert.Equal(IfIndex("r0"), ring.InterfaceIndex); // rings go to interfaces in index order
        Assert.Equal(2, _counters.CopiesOn(CopyPath.PacketRing));
        Assert.Equal(2, _counters.CopiesOn(CopyPath.Packet));
        Assert.All(packet.Frames, f => Assert.Equal(IfIndex("r2"), f.InterfaceIndex));
        Assert.Equal([(IfIndex("r2"), Errno.ENOSPC)], reports);
    }

    [KernelFact]
    public void Dispose_AttachedRing_MappingReleased()
    {
        var ring = NewRing();
        Assert.Equal(Errno.SUCCESS, ring.Attach(IfIndex("r0"), 1500));
        string start = ring.MappedAddress.ToString("x", CultureInfo.InvariantCulture);
        Assert.Contains(File.ReadLines("/proc/self/maps"), l => l.StartsWith(start + "-", StringComparison.Ordinal));

        ring.Dispose();

        Assert.Equal(0, ring.MappedAddress);
        Assert.DoesNotContain(File.ReadLines("/proc/self/maps"), l => l.StartsWith(start + "-", StringComparison.Ordinal));
        ring.Dispose(); // idempotent
    }

    [KernelFact]
    public void ProcessBatch_RingSteadyState_AllocatesNothing()
    {
        var rings = new[] { NewRing(frames: 256) };
        var v4 = Enumerable.Range(1, 16).Select(i => IPAddress.Parse($"198.51.100.{i}")).ToList();
        var v6 = Enumerable.Range(1, 16).Select(i => IPAddress.Parse($"2001:db8::{i:x}")).ToList();
        _table.Publish(new VniMembers(100, v4));
        _table.Publish(new VniMembers(600, v6));
        int r0 = IfIndex("r0");
        _hops.Set([.. v4.Concat(v6).Select(a => FixedNextHops.Usable(a, ifIndex: r0))]);
        var settings = new ReplicationSettings { DataAddress = IPAddress.IPv6Any, Transmit = TransmitPath.Packet };
        var q4 = Own(new CopyQueue(64, 28, 16, new CountingTransport(), _counters, null));
        var q6 = Own(new CopyQueue(64, 48, 28, new CountingTransport(), _counters, null));
        var p4 = Own(new CopyQueue(64, PacketFrames.IPv4FrameHeader, 20, new CountingTransport(), _counters, null, CopyPath.Packet));
        var p6 = Own(new CopyQueue(64, PacketFrames.IPv6FrameHeader, 20, new CountingTransport(), _counters, null, CopyPath.Packet));
        var processor = new ReplicationProcessor(_table, settings, q4, q6, _counters, null, null, null, new PacketFrames(_hops, p4, p6, _counters, rings));
        var ring = Own(new ReceiveRing(16));
        for (int i = 0; i < 16; i++)
        {
            ring.Load(i, Datagrams.Vxlan(i % 2 == 0 ? 100u : 600u, i % 4 < 2 ? 64 : 1400),
                new IPEndPoint(i % 2 == 0 ? v4[i] : v6[i], 4789));
        }

        for (int i = 0; i < 50; i++) processor.ProcessBatch(ring, 16, 0); // warm up; the first batch attaches the ring
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 200; i++) processor.ProcessBatch(ring, 16, 0);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.True(_counters.CopiesOn(CopyPath.PacketRing) > 200 * 16 * 15 / 2, $"{_counters.CopiesOn(CopyPath.PacketRing)} copies through the ring");
    }

    private readonly MemberTable _table = new();
    private readonly FixedNextHops _hops = new();

    private (ReplicationProcessor, PacketRecordingTransport) Processor(PacketRing[] rings, Action<int, Errno>? onRingUnavailable = null)
    {
        var settings = new ReplicationSettings { DataAddress = IPAddress.Any, Transmit = TransmitPath.Packet };
        var packet = new PacketRecordingTransport();
        var q4 = Own(new CopyQueue(64, 28, 16, new RecordingTransport(), _counters, null));
        var p4 = Own(new CopyQueue(64, PacketFrames.IPv4FrameHeader, 20, packet, _counters, null, CopyPath.Packet));
        var frames = new PacketFrames(_hops, p4, null, _counters, rings, onRingUnavailable);
        return (new ReplicationProcessor(_table, settings, q4, null, _counters, null, null, null, frames), packet);
    }

    private void Run(ReplicationProcessor processor, IPAddress source)
    {
        var ring = Own(new ReceiveRing(1));
        ring.Load(0, Datagrams.Vxlan(Vni, 64), new IPEndPoint(source, 40000));
        processor.ProcessBatch(ring, 1, 0);
    }

    private static void SetAllStatuses(PacketRing ring, uint status)
    {
        long frameSize = ring.MappedBytes / ring.FrameCount;
        for (int i = 0; i < ring.FrameCount; i++)
            Volatile.Write(ref ((tpacket2_hdr*)(ring.MappedAddress + (nint)(i * frameSize)))->tp_status, status);
    }
}
