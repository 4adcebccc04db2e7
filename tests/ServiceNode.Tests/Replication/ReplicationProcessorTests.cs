using System.Buffers.Binary;
using System.Net;
using Replicator.Linux.Native;
using Replicator.ServiceNode.Registry;
using Replicator.ServiceNode.Replication;

namespace Replicator.ServiceNode.Tests.Replication;

public sealed class ReplicationProcessorTests : IDisposable
{
    private static readonly IPAddress A = IPAddress.Parse("192.0.2.1");
    private static readonly IPAddress B = IPAddress.Parse("192.0.2.2");
    private static readonly IPAddress C = IPAddress.Parse("192.0.2.3");
    private static readonly IPAddress A6 = IPAddress.Parse("2001:db8::1");
    private static readonly IPAddress B6 = IPAddress.Parse("2001:db8::2");
    private static readonly IPAddress C6 = IPAddress.Parse("2001:db8:ffff::3");

    private readonly MemberTable _table = new();
    private readonly WorkerCounters _counters = new();
    private readonly RecordingTransport _v4 = new();
    private readonly RecordingTransport _v6 = new();
    private readonly RecordingSink _sink = new();
    private readonly List<IDisposable> _owned = [];

    private ReplicationProcessor Create(SourceMode mode = SourceMode.Preserve, bool acceptUnregistered = false, int sendBatch = 256, int ttl = 64)
    {
        var settings = new ReplicationSettings { DataAddress = IPAddress.IPv6Any, SourceMode = mode, AcceptUnregistered = acceptUnregistered, Ttl = ttl, DestinationPort = 4790 };
        bool preserve = mode == SourceMode.Preserve;
        var q4 = new CopyQueue(sendBatch, preserve ? 28 : 0, 16, _v4, _counters, null);
        var q6 = new CopyQueue(sendBatch, preserve ? 48 : 0, 28, _v6, _counters, null);
        _owned.Add(q4);
        _owned.Add(q6);
        return new ReplicationProcessor(_table, settings, q4, q6, _counters, null, _sink);
    }

    private void Run(ReplicationProcessor processor, params (byte[] Datagram, IPEndPoint Source)[] batch)
    {
        var ring = new ReceiveRing(Math.Max(1, batch.Length));
        _owned.Add(ring);
        for (int i = 0; i < batch.Length; i++) ring.Load(i, batch[i].Datagram, batch[i].Source);
        processor.ProcessBatch(ring, batch.Length, 0);
    }

    [Fact]
    public void ProcessBatch_IPv4Preserve_CopiesToEveryOtherMemberWithSendersSource()
    {
        _table.Publish(new VniMembers(100, [A, B, C]));
        var datagram = Datagrams.Vxlan(100, 70);
        Run(Create(ttl: 33), (datagram, new IPEndPoint(A, 54321)));

        Assert.Equal(2, _v4.Copies.Count);
        Assert.Equal(new[] { B, C }, _v4.Copies.Select(c => c.Destination.Address).Order(Comparer<IPAddress>.Create((x, y) => x.ToString().CompareTo(y.ToString()))));
        foreach (var copy in _v4.Copies)
        {
            var p = copy.Bytes;
            Assert.Equal(0x45, p[0]);
            Assert.Equal(20 + 8 + datagram.Length, BinaryPrimitives.ReadUInt16BigEndian(p.AsSpan(2)));
            Assert.Equal(33, p[8]);
            Assert.Equal(17, p[9]);
            Assert.Equal(A, new IPAddress(p.AsSpan(12, 4)));
            Assert.Equal(copy.Destination.Address, new IPAddress(p.AsSpan(16, 4)));
            Assert.Equal(54321, BinaryPrimitives.ReadUInt16BigEndian(p.AsSpan(20)));
            Assert.Equal(4790, BinaryPrimitives.ReadUInt16BigEndian(p.AsSpan(22)));
            Assert.Equal(8 + datagram.Length, BinaryPrimitives.ReadUInt16BigEndian(p.AsSpan(24)));
            Assert.Equal(datagram, p[28..]);
        }
        Assert.Equal(2, _counters.CopiesSent);
        Assert.Equal(1, _counters.DatagramsReceived);
        Assert.Equal(0, _counters.TotalDropped);
    }

    [Fact]
    public void ProcessBatch_IPv6Preserve_ChecksumValidForEveryDestination()
    {
        var members = new List<IPAddress> { A6, B6, C6 };
        for (int i = 0; i < 20; i++) members.Add(IPAddress.Parse($"2001:db8:{i:x}::{i * 977 % 65535:x}"));
        _table.Publish(new VniMembers(7, members));
        var random = new Random(8200);
        foreach (int inner in new[] { 0, 1, 63, 64, 1399, 1400 })
        {
            _v6.Copies.Clear();
            var datagram = Datagrams.Vxlan(7, inner);
            random.NextBytes(datagram.AsSpan(8));
            Run(Create(), (datagram, new IPEndPoint(A6, 40000 + inner)));
            Assert.Equal(members.Count - 1, _v6.Copies.Count);
            foreach (var copy in _v6.Copies)
            {
                var p = copy.Bytes;
                Assert.Equal(0x60, p[0]);
                Assert.Equal(8 + datagram.Length, BinaryPrimitives.ReadUInt16BigEndian(p.AsSpan(4)));
                Assert.Equal(17, p[6]);
                Assert.Equal(A6, new IPAddress(p.AsSpan(8, 16)));
                Assert.Equal(copy.Destination.Address, new IPAddress(p.AsSpan(24, 16)));
                Assert.Equal(40000 + inner, BinaryPrimitives.ReadUInt16BigEndian(p.AsSpan(40)));
                Assert.NotEqual(0, BinaryPrimitives.ReadUInt16BigEndian(p.AsSpan(46)));
                Assert.Equal(datagram, p[48..]);
                Assert.True(UdpChecksumValid(p), $"bad checksum to {copy.Destination.Address}, inner {inner}");
            }
        }
    }

    /// <summary>Straightforward RFC 8200 check: pseudo-header + UDP segment including the checksum sums to 0xFFFF.</summary>
    private static bool UdpChecksumValid(byte[] packet)
    {
        var udp = packet.AsSpan(40);
        var pseudo = new byte[40 + udp.Length];
        packet.AsSpan(8, 32).CopyTo(pseudo);
        BinaryPrimitives.WriteUInt32BigEndian(pseudo.AsSpan(32), (uint)udp.Length);
        pseudo[39] = 17;
        udp.CopyTo(pseudo.AsSpan(40));
        uint sum = 0;
        for (int i = 0; i < pseudo.Length; i += 2)
        {
            sum += (uint)(pseudo[i] << 8) | (i + 1 < pseudo.Length ? pseudo[i + 1] : 0u);
            sum = (sum & 0xFFFF) + (sum >> 16);
        }
        return sum == 0xFFFF;
    }

    [Fact]
    public void ProcessBatch_SenderOnlyMember_NeverSentBackAndCountedNoMembers()
    {
        _table.Publish(new VniMembers(100, [A]));
        Run(Create(), (Datagrams.Vxlan(100), new IPEndPoint(A, 4789)));
        Assert.Empty(_v4.Copies);
        Assert.Equal(1, _counters.DroppedFor(DropReason.NoMembers));
    }

    [Fact]
    public void ProcessBatch_NodeMode_SendsPayloadOnlyToDestinationPortNeverToSender()
    {
        _table.Publish(new VniMembers(100, [A, B, C, B6]));
        var datagram = Datagrams.Vxlan(100);
        Run(Create(SourceMode.Node), (datagram, new IPEndPoint(B, 1234)));
        Assert.Equal(new[] { A, C }, _v4.Copies.Select(c => c.Destination.Address).OrderBy(a => a.ToString()));
        Assert.All(_v4.Copies, c => Assert.Equal(datagram, c.Bytes));
        Assert.All(_v4.Copies, c => Assert.Equal(4790, c.Destination.Port));
        Assert.Single(_v6.Copies);
        Assert.Equal(B6, _v6.Copies[0].Destination.Address);
    }

    [Fact]
    public void ProcessBatch_BadDatagrams_DroppedByReason()
    {
        _table.Publish(new VniMembers(100, [A, B]));
        _table.Publish(new VniMembers(300, [C]));
        var noIFlag = Datagrams.Vxlan(100);
        noIFlag[0] = 0;
        Run(Create(),
            (new byte[5], new IPEndPoint(A, 1)),
            (noIFlag, new IPEndPoint(A, 1)),
            (Datagrams.Vxlan(200), new IPEndPoint(A, 1)),
            (Datagrams.Vxlan(100), new IPEndPoint(C, 1)),
            (new byte[ReceiveRing.SlotBytes + 1].Also(d => d[0] = 0x08), new IPEndPoint(A, 1)),
            (Datagrams.Vxlan(300), new IPEndPoint(C, 1)));
        Assert.Empty(_v4.Copies);
        Assert.Equal(1, _counters.DroppedFor(DropReason.TooShort));
        Assert.Equal(1, _counters.DroppedFor(DropReason.NoIFlag));
        Assert.Equal(1, _counters.DroppedFor(DropReason.UnknownVni));
        Assert.Equal(1, _counters.DroppedFor(DropReason.UnregisteredSender));
        Assert.Equal(1, _counters.DroppedFor(DropReason.TooLong));
        Assert.Equal(1, _counters.DroppedFor(DropReason.NoMembers));
        Assert.Equal(6, _counters.DatagramsReceived);
        Assert.Empty(_sink.Senders);
    }

    [Fact]
    public void ProcessBatch_AcceptUnregistered_ReplicatesAndReportsSender()
    {
        _table.Publish(new VniMembers(100, [A, B]));
        Run(Create(acceptUnregistered: true), (Datagrams.Vxlan(100), new IPEndPoint(C, 1)), (Datagrams.Vxlan(100), new IPEndPoint(A6, 1)));
        Assert.Equal(2, _v4.Copies.Count);
        Assert.Equal([(100u, C), (100u, A6)], _sink.Senders);
    }

    [Fact]
    public void ProcessBatch_V4MappedSender_TreatedAsIPv4()
    {
        _table.Publish(new VniMembers(100, [A, B]));
        Run(Create(), (Datagrams.Vxlan(100), new IPEndPoint(A.MapToIPv6(), 999)));
        var copy = Assert.Single(_v4.Copies);
        Assert.Equal(B, copy.Destination.Address);
        Assert.Equal(A, new IPAddress(copy.Bytes.AsSpan(12, 4)));
    }

    [Fact]
    public void ProcessBatch_FanOutAboveSendBatch_SplitsCallsAndSkipsRefusedCopies()
    {
        var members = Enumerable.Range(1, 100).Select(i => IPAddress.Parse($"198.51.100.{i}")).ToList();
        _table.Publish(new VniMembers(100, members));
        _v4.Refuse.Add(members[50]);
        Run(Create(sendBatch: 32), (Datagrams.Vxlan(100), new IPEndPoint(members[0], 1)), (Datagrams.Vxlan(100), new IPEndPoint(members[1], 1)));
        Assert.Equal(2 * 99 - 2, _v4.Copies.Count);
        Assert.Equal(2, _counters.SendErrors);
        Assert.Equal(2, _counters.DroppedFor(DropReason.SendError));
        Assert.Equal(2 * 99 - 2, _counters.CopiesSent);
        Assert.All(_v4.CallSizes, n => Assert.True(n <= 32));
    }

    public void Dispose()
    {
        foreach (var d in _owned) d.Dispose();
    }
}

internal static class TestExtensions
{
    public static T Also<T>(this T value, Action<T> action)
    {
        action(value);
        return value;
    }
}
