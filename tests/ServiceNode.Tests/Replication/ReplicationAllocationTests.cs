using System.Net;
using Replicator.ServiceNode.Addresses;
using Replicator.ServiceNode.Registry;
using Replicator.ServiceNode.Replication;

namespace Replicator.ServiceNode.Tests.Replication;

public class ReplicationAllocationTests
{
    [Theory]
    [InlineData(nameof(SourceMode.Preserve))]
    [InlineData(nameof(SourceMode.Node))]
    public void ProcessBatch_SteadyState_AllocatesNothing(string modeName)
    {
        SourceMode mode = Enum.Parse<SourceMode>(modeName); // the enum is internal to vxsnd; xunit methods are public
        var table = new MemberTable();
        var v4 = Enumerable.Range(1, 64).Select(i => IPAddress.Parse($"198.51.100.{i}")).ToList();
        var v6 = Enumerable.Range(1, 64).Select(i => IPAddress.Parse($"2001:db8::{i:x}")).ToList();
        table.Publish(new VniMembers(100, v4));
        table.Publish(new VniMembers(600, v6));
        var counters = new WorkerCounters();
        var transport4 = new CountingTransport();
        var transport6 = new CountingTransport();
        var settings = new ReplicationSettings { DataAddress = IPAddress.IPv6Any, SourceMode = mode };
        bool preserve = mode == SourceMode.Preserve;
        using var q4 = new CopyQueue(256, preserve ? 28 : 0, 16, transport4, counters, null);
        using var q6 = new CopyQueue(256, preserve ? 48 : 0, 28, transport6, counters, null);
        var own = new OwnAddresses(new OwnAddressSet([IPAddress.Parse("203.0.113.200"), IPAddress.Parse("2001:db8::ffff")], [IPAddress.Parse("203.0.113.255")]));
        var processor = new ReplicationProcessor(table, settings, q4, q6, counters, null, sink: null, own);
        using var ring = new ReceiveRing(64);
        // A mixed batch: replicated IPv4 and IPv6 datagrams, and every kind of drop.
        for (int i = 0; i < 64; i++)
        {
            (byte[] d, IPEndPoint s) = (i % 8) switch
            {
                0 => (new byte[3], new IPEndPoint(v4[0], 1)),
                1 => (Datagrams.Vxlan(999), new IPEndPoint(v4[0], 1)),
                2 => (Datagrams.Vxlan(100), new IPEndPoint(IPAddress.Parse("203.0.113.9"), 1)),
                3 or 4 => (Datagrams.Vxlan(600, 1400), new IPEndPoint(v6[i % 64], 4789)),
                7 => (Datagrams.Vxlan(100, 1400), new IPEndPoint(IPAddress.Parse(i % 16 == 7 ? "203.0.113.200" : "2001:db8::ffff"), 4789)),
                _ => (Datagrams.Vxlan(100, 1400), new IPEndPoint(v4[i % 64], 4789)),
            };
            ring.Load(i, d, s);
        }

        for (int i = 0; i < 200; i++) processor.ProcessBatch(ring, 64, 0); // warm up: JIT, tiering
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 2000; i++) processor.ProcessBatch(ring, 64, 0);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.True(transport4.Sent > 0 && transport6.Sent > 0);
        Assert.True(counters.DroppedFor(DropReason.UnknownVni) > 0);
        Assert.True(counters.DroppedFor(DropReason.OwnSource) > 0);
    }

    [Fact]
    public void ProcessBatch_PacketPathSteadyState_AllocatesNothing()
    {
        var table = new MemberTable();
        var v4 = Enumerable.Range(1, 64).Select(i => IPAddress.Parse($"198.51.100.{i}")).ToList();
        var v6 = Enumerable.Range(1, 64).Select(i => IPAddress.Parse($"2001:db8::{i:x}")).ToList();
        table.Publish(new VniMembers(100, v4));
        table.Publish(new VniMembers(600, v6));
        // Most destinations usable, some not (fallbacks), one MTU too small for the large datagrams.
        var hops = new FixedNextHops();
        hops.Set([.. v4.Concat(v6).Select((a, i) => i % 9 == 4
            ? FixedNextHops.Unusable(a, Replicator.ServiceNode.Replication.NextHops.NextHopState.NoNeighbour)
            : FixedNextHops.Usable(a, mtu: i % 17 == 3 ? 1000 : 1500))]);
        var counters = new WorkerCounters();
        var raw = new CountingTransport();
        var packet = new CountingTransport();
        var settings = new ReplicationSettings { DataAddress = IPAddress.IPv6Any, Transmit = TransmitPath.Packet };
        using var q4 = new CopyQueue(256, 28, 16, raw, counters, null);
        using var q6 = new CopyQueue(256, 48, 28, raw, counters, null);
        using var p4 = new CopyQueue(256, PacketFrames.IPv4FrameHeader, 20, packet, counters, null, CopyPath.Packet);
        using var p6 = new CopyQueue(256, PacketFrames.IPv6FrameHeader, 20, packet, counters, null, CopyPath.Packet);
        var processor = new ReplicationProcessor(table, settings, q4, q6, counters, null, sink: null, own: null, new PacketFrames(hops, p4, p6, counters));
        using var ring = new ReceiveRing(64);
        for (int i = 0; i < 64; i++)
        {
            (byte[] d, IPEndPoint s) = (i % 4) switch
            {
                0 => (Datagrams.Vxlan(600, 1400), new IPEndPoint(v6[i % 64], 4789)),
                1 => (Datagrams.Vxlan(600, 64), new IPEndPoint(v6[i % 64], 4789)),
                2 => (Datagrams.Vxlan(100, 64), new IPEndPoint(v4[i % 64], 4789)),
                _ => (Datagrams.Vxlan(100, 1400), new IPEndPoint(v4[i % 64], 4789)),
            };
            ring.Load(i, d, s);
        }

        for (int i = 0; i < 200; i++) processor.ProcessBatch(ring, 64, 0);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 2000; i++) processor.ProcessBatch(ring, 64, 0);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.True(packet.Sent > 0 && raw.Sent > 0);
        Assert.True(counters.FallbacksFor(PacketFallback.NoNeighbour) > 0);
        Assert.True(counters.FallbacksFor(PacketFallback.TooBig) > 0);
    }
}
