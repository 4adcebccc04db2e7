using System.Net;
using BenchmarkDotNet.Attributes;
using Replicator.Linux.Native;
using Replicator.ServiceNode.Addresses;
using Replicator.ServiceNode.Registry;
using Replicator.ServiceNode.Replication;

namespace Replicator.Benchmarks.Replication;

/// <summary>
/// The data plane's per-batch work in memory (no kernel: the transport accepts every copy), with and
/// without the own-source check, side by side in one run: 64 IPv4 datagrams per batch, fan-out
/// <see cref="Fanout"/>, Preserve mode; the own set holds a host's worth of addresses (67).
/// ns per copy = mean / (64 x (Fanout - 1)).
/// Run: <c>dotnet run -c Release --project tests/Benchmarks -- --filter '*OwnSourceCheck*' --inProcess --job short</c>
/// </summary>
public class OwnSourceCheckBenchmark
{
    private ReplicationProcessor _processor = null!;
    private ReceiveRing _ring = null!;
    private readonly List<IDisposable> _owned = [];

    [Params(8, 64)]
    public int Fanout { get; set; }

    [Params(false, true)]
    public bool OwnCheck { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var table = new MemberTable();
        var members = Enumerable.Range(1, Fanout).Select(i => IPAddress.Parse($"203.0.113.{i}")).ToList();
        table.Publish(new VniMembers(100, members));
        var counters = new WorkerCounters();
        var q4 = new CopyQueue(1024, 28, 16, new AcceptAll(), counters, null);
        _owned.Add(q4);
        var own = OwnCheck
            ? new OwnAddresses(new OwnAddressSet(
                [IPAddress.Parse("192.0.2.1"), IPAddress.Loopback, IPAddress.IPv6Loopback,
                 .. Enumerable.Range(1, 32).Select(i => IPAddress.Parse($"198.51.100.{i}")),
                 .. Enumerable.Range(1, 32).Select(i => IPAddress.Parse($"2001:db8::{i:x}"))],
                [IPAddress.Parse("198.51.100.255")]))
            : null;
        _processor = new ReplicationProcessor(table, new ReplicationSettings { DataAddress = IPAddress.Any }, q4, null, counters, null, null, own);
        _ring = new ReceiveRing(64);
        _owned.Add(_ring);
        var datagram = new byte[8 + 64];
        datagram[0] = 0x08;
        datagram[6] = 100;
        for (int i = 0; i < 64; i++) _ring.Load(i, datagram, new IPEndPoint(members[i % Fanout], 4789));
    }

    [Benchmark]
    public void ProcessBatch() => _processor.ProcessBatch(_ring, 64, 0);

    [GlobalCleanup]
    public void Cleanup()
    {
        foreach (var d in _owned) d.Dispose();
    }

    private sealed unsafe class AcceptAll : ICopyTransport
    {
        public int Send(mmsghdr* messages, int count, out Errno errno)
        {
            errno = Errno.SUCCESS;
            return count;
        }
    }
}
