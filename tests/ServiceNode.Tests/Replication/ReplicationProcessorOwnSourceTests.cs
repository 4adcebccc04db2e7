using System.Net;
using Replicator.ServiceNode.Addresses;
using Replicator.ServiceNode.Registry;
using Replicator.ServiceNode.Replication;

namespace Replicator.ServiceNode.Tests.Replication;

public sealed class ReplicationProcessorOwnSourceTests : IDisposable
{
    private static readonly IPAddress A = IPAddress.Parse("192.0.2.1");
    private static readonly IPAddress B = IPAddress.Parse("192.0.2.2");
    private static readonly IPAddress Own = IPAddress.Parse("192.0.2.6");
    private static readonly IPAddress A6 = IPAddress.Parse("2001:db8::1");
    private static readonly IPAddress B6 = IPAddress.Parse("2001:db8::2");
    private static readonly IPAddress Own6 = IPAddress.Parse("2001:db8::6");

    private readonly MemberTable _table = new();
    private readonly WorkerCounters _counters = new();
    private readonly RecordingTransport _v4 = new();
    private readonly RecordingTransport _v6 = new();
    private readonly RecordingSink _sink = new();
    private readonly OwnAddresses _own = new(new OwnAddressSet([Own, Own6], []));
    private readonly List<IDisposable> _owned = [];

    [Theory]
    [InlineData(nameof(SourceMode.Preserve), false)]
    [InlineData(nameof(SourceMode.Preserve), true)]
    [InlineData(nameof(SourceMode.Node), true)]
    public void ProcessBatch_SourceIsOwnAddress_DroppedAndCountedNoCopy(string modeName, bool acceptUnregistered)
    {
        SourceMode mode = Enum.Parse<SourceMode>(modeName); // the enum is internal to vxsnd; xunit methods are public
        // The own address is even a member (as a hostile registration would have made it before the
        // registry refused such things): still no copy, and nothing learned.
        _table.Publish(new VniMembers(100, [A, B, Own]));
        _table.Publish(new VniMembers(200, [A6, B6, Own6]));
        var processor = Create(mode, acceptUnregistered);

        Run(processor, (Datagrams.Vxlan(100, 60), new IPEndPoint(Own, 4789)), (Datagrams.Vxlan(200, 60), new IPEndPoint(Own6, 4789)),
            (Datagrams.Vxlan(300, 60), new IPEndPoint(IPAddress.Parse("::ffff:192.0.2.6"), 4789)));

        Assert.Empty(_v4.Copies);
        Assert.Empty(_v6.Copies);
        Assert.Empty(_sink.Senders);
        Assert.Equal(3, _counters.DroppedFor(DropReason.OwnSource));
        Assert.Equal(3, _counters.TotalDropped);
        Assert.Equal("own_source", DropReasons.Tag(DropReason.OwnSource));
    }

    [Fact]
    public void ProcessBatch_OwnSetChangesBetweenBatches_NextBatchUsesIt()
    {
        _table.Publish(new VniMembers(100, [A, B]));
        var processor = Create(SourceMode.Preserve, false);

        Run(processor, (Datagrams.Vxlan(100, 60), new IPEndPoint(A, 4789)));
        Assert.Single(_v4.Copies);

        _own.Update(new OwnAddressSet([A], []));
        Run(processor, (Datagrams.Vxlan(100, 60), new IPEndPoint(A, 4789)));

        Assert.Single(_v4.Copies);
        Assert.Equal(1, _counters.DroppedFor(DropReason.OwnSource));
    }

    private ReplicationProcessor Create(SourceMode mode, bool acceptUnregistered)
    {
        var settings = new ReplicationSettings { DataAddress = IPAddress.IPv6Any, SourceMode = mode, AcceptUnregistered = acceptUnregistered };
        bool preserve = mode == SourceMode.Preserve;
        var q4 = new CopyQueue(64, preserve ? 28 : 0, 16, _v4, _counters, null);
        var q6 = new CopyQueue(64, preserve ? 48 : 0, 28, _v6, _counters, null);
        _owned.Add(q4);
        _owned.Add(q6);
        return new ReplicationProcessor(_table, settings, q4, q6, _counters, null, _sink, _own);
    }

    private void Run(ReplicationProcessor processor, params (byte[] Datagram, IPEndPoint Source)[] batch)
    {
        var ring = new ReceiveRing(batch.Length);
        _owned.Add(ring);
        for (int i = 0; i < batch.Length; i++) ring.Load(i, batch[i].Datagram, batch[i].Source);
        processor.ProcessBatch(ring, batch.Length, 0);
    }

    public void Dispose()
    {
        foreach (var d in _owned) d.Dispose();
    }
}
