using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Replicator.ServiceNode.Replication;

namespace Replicator.ServiceNode.Tests.Replication;

public class ReplicationMetricsTests
{
    [Fact]
    public void Observe_TwoWorkers_ReportsSumsAndDropReasons()
    {
        var a = new WorkerCounters { DatagramsReceived = 3, CopiesSent = 10 };
        var b = new WorkerCounters { DatagramsReceived = 4, CopiesSent = 20, SendErrors = 1 };
        b.Dropped[(int)DropReason.UnknownVni] = 2;

        var seen = Observe(a, b);

        Assert.Equal(7, seen["vxsnd.datagrams.received"]);
        Assert.Equal(30, seen["vxsnd.copies.sent"]);
        Assert.Equal(1, seen["vxsnd.send.errors"]);
        Assert.Equal(2, seen["vxsnd.datagrams.dropped{reason=unknown_vni}"]);
        Assert.Equal(0, seen["vxsnd.datagrams.dropped{reason=too_short}"]);
    }

    [Fact]
    public void Observe_PathsAndFallbacks_ReportedByTagFromTheStart()
    {
        var a = new WorkerCounters();
        a.CopiesByPath[(int)CopyPath.Packet] = 5;
        a.CopiesByPath[(int)CopyPath.Raw] = 2;
        a.Fallbacks[(int)PacketFallback.TooBig] = 1;
        var b = new WorkerCounters();
        b.CopiesByPath[(int)CopyPath.Packet] = 3;
        b.Fallbacks[(int)PacketFallback.NoNeighbour] = 4;

        var seen = Observe(a, b);

        Assert.Equal(8, seen["vxsnd.dataplane.copies{path=packet}"]);
        Assert.Equal(2, seen["vxsnd.dataplane.copies{path=raw}"]);
        Assert.Equal(0, seen["vxsnd.dataplane.copies{path=udp}"]);
        Assert.Equal(1, seen["vxsnd.dataplane.fallbacks{reason=too_big}"]);
        Assert.Equal(4, seen["vxsnd.dataplane.fallbacks{reason=no_neighbour}"]);
        Assert.Equal(0, seen["vxsnd.dataplane.fallbacks{reason=pending}"]);
        Assert.Equal(0, seen["vxsnd.dataplane.fallbacks{reason=no_route}"]);
        Assert.Equal(0, seen["vxsnd.dataplane.fallbacks{reason=unsupported_interface}"]);
    }

    /// <summary>
    /// Registers <paramref name="workers"/> with fresh metrics and records the observable instruments once;
    /// returns each measurement by instrument name with its tags appended (<c>name{key=value}</c>).
    /// </summary>
    private static Dictionary<string, long> Observe(params WorkerCounters[] workers)
    {
        using var provider = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var metrics = new ReplicationMetrics(provider.GetRequiredService<IMeterFactory>());
        foreach (var worker in workers)
        {
            metrics.Register(worker);
        }

        var seen = new Dictionary<string, long>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (i, l) => { if (i.Meter.Name == ReplicationMetrics.MeterName) l.EnableMeasurementEvents(i); };
        listener.SetMeasurementEventCallback<long>((i, value, tags, _) =>
        {
            string key = i.Name;
            foreach (var t in tags) key += $"{{{t.Key}={t.Value}}}";
            seen[key] = value;
        });
        listener.Start();
        listener.RecordObservableInstruments();
        return seen;
    }
}
