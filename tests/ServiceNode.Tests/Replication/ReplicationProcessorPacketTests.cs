using System.Buffers.Binary;
using System.Net;
using Replicator.Linux.Native;
using Replicator.ServiceNode.Registry;
using Replicator.ServiceNode.Replication;
using Replicator.ServiceNode.Replication.NextHops;

namespace Replicator.ServiceNode.Tests.Replication;

/// <summary>The packet path of Preserve mode over in-memory transports: frames, checksums, fallbacks and template rebuilds.</summary>
public sealed class ReplicationProcessorPacketTests : IDisposable
{
    private static readonly IPAddress A = IPAddress.Parse("192.0.2.1");
    private static readonly IPAddress B = IPAddress.Parse("192.0.2.2");
    private static readonly IPAddress C = IPAddress.Parse("192.0.2.3");
    private static readonly IPAddress D = IPAddress.Parse("192.0.2.4");
    private static readonly IPAddress A6 = IPAddress.Parse("2001:db8::1");
    private static readonly IPAddress B6 = IPAddress.Parse("2001:db8::2");
    private static readonly IPAddress C6 = IPAddress.Parse("2001:db8:ffff::3");

    private readonly MemberTable _table = new();
    private readonly WorkerCounters _counters = new();
    private readonly RecordingTransport _raw4 = new();
    private readonly RecordingTransport _raw6 = new();
    private readonly PacketRecordingTransport _packet = new();
    private readonly FixedNextHops _hops = new();
    private readonly List<IDisposable> _owned = [];

    private ReplicationProcessor Create(int ttl = 64)
    {
        var settings = new ReplicationSettings { DataAddress = IPAddress.IPv6Any, Ttl = ttl, DestinationPort = 4790, Transmit = TransmitPath.Packet };
        var q4 = Own(new CopyQueue(256, 28, 16, _raw4, _counters, null));
        var q6 = Own(new CopyQueue(256, 48, 28, _raw6, _counters, null));
        var p4 = Own(new CopyQueue(256, PacketFrames.IPv4FrameHeader, 20, _packet, _counters, null, CopyPath.Packet));
        var p6 = Own(new CopyQueue(256, PacketFrames.IPv6FrameHeader, 20, _packet, _counters, null, CopyPath.Packet));
        return new ReplicationProcessor(_table, settings, q4, q6, _counters, null, null, null, new PacketFrames(_hops, p4, p6, _counters));
    }

    private T Own<T>(T d) where T : IDisposable
    {
        _owned.Add(d);
        return d;
    }

    private void Run(ReplicationProcessor processor, params (byte[] Datagram, IPEndPoint Source)[] batch)
    {
        var ring = Own(new ReceiveRing(Math.Max(1, batch.Length)));
        for (int i = 0; i < batch.Length; i++) ring.Load(i, batch[i].Datagram, batch[i].Source);
        processor.ProcessBatch(ring, batch.Length, 0);
    }

    [Fact]
    public void ProcessBatch_IPv4UsableNextHop_SendsFrameWithEthernetHeaderAndValidIPv4Checksum()
    {
        _table.Publish(new VniMembers(100, [A, B, C]));
        _hops.Set(FixedNextHops.Usable(B, ifIndex: 5, mac: 0x02_11_22_33_44_55), FixedNextHops.Usable(C, ifIndex: 6, mac: 0x02_66_77_88_99_AA));
        var datagram = Datagrams.Vxlan(100, 70);
        var processor = Create(ttl: 33);
        Run(processor, (datagram, new IPEndPoint(A, 54321)));
        Run(processor, (datagram, new IPEndPoint(A, 54321)));

        Assert.Empty(_raw4.Copies);
        Assert.Equal(4, _packet.Frames.Count);
        var ids = new HashSet<ushort>();
        foreach (var f in _packet.Frames)
        {
            byte[] p = f.Bytes;
            Assert.Equal(LibC.AF_PACKET, f.Family);
            Assert.Equal(LibC.ETH_P_IP, f.Protocol);
            Assert.Equal(20, f.NameLength);
            IPAddress destination = new(p.AsSpan(14 + 16, 4));
            Assert.Equal(destination.Equals(B) ? 5 : 6, f.InterfaceIndex);
            Assert.Equal(destination.Equals(B) ? "021122334455" : "0266778899AA", Convert.ToHexString(p, 0, 6));
            Assert.Equal("0200000000AA", Convert.ToHexString(p, 6, 6));
            Assert.Equal(0x0800, BinaryPrimitives.ReadUInt16BigEndian(p.AsSpan(12)));
            var ip = p.AsSpan(14);
            Assert.Equal(0x45, ip[0]);
            Assert.Equal(20 + 8 + datagram.Length, BinaryPrimitives.ReadUInt16BigEndian(ip[2..]));
            Assert.Equal(33, ip[8]);
            Assert.Equal(A, new IPAddress(ip.Slice(12, 4)));
            Assert.Equal(54321, BinaryPrimitives.ReadUInt16BigEndian(ip[20..]));
            Assert.Equal(4790, BinaryPrimitives.ReadUInt16BigEndian(ip[22..]));
            Assert.Equal(datagram, ip[28..].ToArray());
            Assert.True(HeaderChecksumValid(ip[..20]), "bad IPv4 header checksum");
            ids.Add(BinaryPrimitives.ReadUInt16BigEndian(ip[4..]));
        }
        Assert.Equal(4, ids.Count); // every copy its own id
        Assert.Equal(4, _counters.CopiesOn(CopyPath.Packet));
        Assert.Equal(0, _counters.CopiesOn(CopyPath.Raw));
        Assert.Equal(4, _counters.CopiesSent);
    }

    [Fact]
    public void ProcessBatch_IPv6UsableNextHop_FrameCarriesRawPathHeaderAndValidUdpChecksum()
    {
        var members = new List<IPAddress> { A6, B6, C6 };
        for (int i = 0; i < 20; i++) members.Add(IPAddress.Parse($"2001:db8:{i:x}::{i * 977 % 65535:x}"));
        _table.Publish(new VniMembers(7, members));
        _hops.Set([.. members.Select(m => FixedNextHops.Usable(m, ifIndex: 3))]);
        var random = new Random(1717);
        foreach (int inner in new[] { 0, 1, 63, 1399 })
        {
            _packet.Frames.Clear();
            var datagram = Datagrams.Vxlan(7, inner);
            random.NextBytes(datagram.AsSpan(8));
            Run(Create(), (datagram, new IPEndPoint(A6, 40000 + inner)));
            Assert.Equal(members.Count - 1, _packet.Frames.Count);
            foreach (var f in _packet.Frames)
            {
                Assert.Equal(LibC.ETH_P_IPV6, f.Protocol);
                Assert.Equal(0x86DD, BinaryPrimitives.ReadUInt16BigEndian(f.Bytes.AsSpan(12)));
                byte[] ip = f.Bytes[14..];
                Assert.Equal(0x60, ip[0]);
                Assert.Equal(A6, new IPAddress(ip.AsSpan(8, 16)));
                Assert.Equal(datagram, ip[48..]);
                Assert.True(UdpChecksumValid(ip), $"bad checksum, inner {inner}");
            }
        }
        Assert.Empty(_raw6.Copies);
    }

    [Fact]
    public void ProcessBatch_UnusableUnknownOrTooBig_GoesRawAndCountsFallbackByReason()
    {
        var e = IPAddress.Parse("192.0.2.5");
        var f = IPAddress.Parse("192.0.2.6");
        _table.Publish(new VniMembers(100, [A, B, C, D, e, f]));
        _hops.Set(
            FixedNextHops.Usable(B),
            FixedNextHops.Unusable(C, NextHopState.NoNeighbour),
            FixedNextHops.Unusable(D, NextHopState.NoRoute),
            FixedNextHops.Unusable(e, NextHopState.UnsupportedInterface),
            FixedNextHops.Usable(f, mtu: 1000));
        Run(Create(), (Datagrams.Vxlan(100, 1000), new IPEndPoint(A, 1)), (Datagrams.Vxlan(100, 100), new IPEndPoint(A, 1)));

        // f takes the small datagram by packet, the large one raw (1036 + 28 > 1000).
        Assert.Equal(3, _packet.Frames.Count);
        Assert.Equal(7, _raw4.Copies.Count);
        Assert.Equal(2, _counters.FallbacksFor(PacketFallback.NoNeighbour));
        Assert.Equal(2, _counters.FallbacksFor(PacketFallback.NoRoute));
        Assert.Equal(2, _counters.FallbacksFor(PacketFallback.UnsupportedInterface));
        Assert.Equal(1, _counters.FallbacksFor(PacketFallback.TooBig));
        Assert.Equal(0, _counters.FallbacksFor(PacketFallback.Pending));
        Assert.Equal(3, _counters.CopiesOn(CopyPath.Packet));
        Assert.Equal(7, _counters.CopiesOn(CopyPath.Raw));
        // The raw copies are the raw path's own: no Ethernet header, kernel-filled id and checksum.
        Assert.All(_raw4.Copies, c => Assert.Equal(0x45, c.Bytes[0]));
        Assert.All(_raw4.Copies, c => Assert.Equal(0, BinaryPrimitives.ReadUInt16BigEndian(c.Bytes.AsSpan(10))));
    }

    [Fact]
    public void ProcessBatch_NextHopVersionChanges_TemplatesRebuiltOnlyThen()
    {
        _table.Publish(new VniMembers(100, [A, B]));
        var processor = Create();
        Run(processor, (Datagrams.Vxlan(100), new IPEndPoint(A, 1)));
        Assert.Single(_raw4.Copies); // nothing resolved yet
        Assert.Equal(1, _counters.FallbacksFor(PacketFallback.Pending));

        _hops.Set(FixedNextHops.Usable(B, mac: 0x02_00_00_00_00_01));
        Run(processor, (Datagrams.Vxlan(100), new IPEndPoint(A, 1)));
        _hops.Set(FixedNextHops.Usable(B, mac: 0x02_00_00_00_00_02)); // the neighbour's MAC changed
        Run(processor, (Datagrams.Vxlan(100), new IPEndPoint(A, 1)));
        _hops.Set(FixedNextHops.Unusable(B, NextHopState.Pending)); // the route moved, being looked up again
        Run(processor, (Datagrams.Vxlan(100), new IPEndPoint(A, 1)));

        Assert.Equal(["020000000001", "020000000002"], _packet.Frames.Select(f => Convert.ToHexString(f.Bytes, 0, 6)));
        Assert.Equal(2, _raw4.Copies.Count);
        Assert.Equal(2, _counters.FallbacksFor(PacketFallback.Pending));
    }

    [Fact]
    public void ProcessBatch_NodeMode_IgnoresPacketPath()
    {
        _table.Publish(new VniMembers(100, [A, B]));
        _hops.Set(FixedNextHops.Usable(B));
        var settings = new ReplicationSettings { DataAddress = IPAddress.Any, SourceMode = SourceMode.Node, Transmit = TransmitPath.Auto };
        var q4 = Own(new CopyQueue(16, 0, 16, _raw4, _counters, null, CopyPath.Udp));
        var p4 = Own(new CopyQueue(16, PacketFrames.IPv4FrameHeader, 20, _packet, _counters, null, CopyPath.Packet));
        var processor = new ReplicationProcessor(_table, settings, q4, null, _counters, null, null, null, new PacketFrames(_hops, p4, null, _counters));
        Run(processor, (Datagrams.Vxlan(100), new IPEndPoint(A, 1)));
        Assert.Single(_raw4.Copies);
        Assert.Empty(_packet.Frames);
        Assert.Equal(1, _counters.CopiesOn(CopyPath.Udp));
    }

    private static bool HeaderChecksumValid(ReadOnlySpan<byte> header)
    {
        uint sum = 0;
        for (int i = 0; i < header.Length; i += 2) sum += BinaryPrimitives.ReadUInt16BigEndian(header[i..]);
        while (sum > 0xFFFF) sum = (sum & 0xFFFF) + (sum >> 16);
        return sum == 0xFFFF;
    }

    private static bool UdpChecksumValid(byte[] packet)
    {
        var udp = packet.AsSpan(40);
        var pseudo = new byte[40 + udp.Length + 1];
        packet.AsSpan(8, 32).CopyTo(pseudo);
        BinaryPrimitives.WriteUInt32BigEndian(pseudo.AsSpan(32), (uint)udp.Length);
        pseudo[39] = 17;
        udp.CopyTo(pseudo.AsSpan(40));
        uint sum = 0;
        for (int i = 0; i + 1 < pseudo.Length; i += 2) sum += BinaryPrimitives.ReadUInt16BigEndian(pseudo.AsSpan(i));
        while (sum > 0xFFFF) sum = (sum & 0xFFFF) + (sum >> 16);
        return sum == 0xFFFF;
    }

    public void Dispose()
    {
        foreach (var d in _owned) d.Dispose();
    }
}
