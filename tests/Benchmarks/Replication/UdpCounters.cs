namespace Replicator.Benchmarks.Replication;

/// <summary>A namespace's UDP counters of one family at one moment (see <see cref="BenchNamespace.ReadUdp"/>).</summary>
internal readonly record struct UdpCounters(long Sent, long Delivered, long QueueFull)
{
    public static UdpCounters operator -(UdpCounters a, UdpCounters b) =>
        new(a.Sent - b.Sent, a.Delivered - b.Delivered, a.QueueFull - b.QueueFull);
}
