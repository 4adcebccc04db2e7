using System.Net;
using Replicator.ServiceNode.Bgp;

namespace Replicator.ServiceNode.Tests.Bgp;

/// <summary>The overflow decision of one peer's export queue, without a session.</summary>
public sealed class BgpExportQueueTests
{
    private int _wakes;

    private static BgpExportChange Change(int i) =>
        BgpExportChange.Withdrawn(new EvpnMulticastRouteKey((ulong)i, 0, IPAddress.Parse("192.0.2.1")));

    [Fact]
    public void Offer_WithinCapacity_QueuedInOrderWithOneWake()
    {
        var queue = new BgpExportQueue(3, () => _wakes++);
        Assert.All(Enumerable.Range(0, 3), i => Assert.Equal(BgpExportOffer.Queued, queue.Offer(Change(i))));
        Assert.Equal(1, _wakes);
        Assert.False(queue.Take(out var changes));
        Assert.Equal(new[] { Change(0), Change(1), Change(2) }, changes);
        Assert.False(queue.Take(out changes));
        Assert.Empty(changes);
    }

    [Fact]
    public void Offer_OverCapacity_OverflowsDropsQueueAndLaterChangesUntilRearmed()
    {
        var queue = new BgpExportQueue(2, () => _wakes++);
        queue.Offer(Change(0));
        queue.Offer(Change(1));
        Assert.Equal(BgpExportOffer.Overflowed, queue.Offer(Change(2)));
        Assert.Equal(BgpExportOffer.Dropped, queue.Offer(Change(3)));
        Assert.Equal(1, _wakes);

        Assert.True(queue.Take(out var changes));
        Assert.Empty(changes);
        // Taken but not yet re-armed: the resynchronisation about to run covers these, so no wake either.
        Assert.Equal(BgpExportOffer.Dropped, queue.Offer(Change(4)));
        Assert.True(queue.Take(out _));
        Assert.Equal(1, _wakes);

        queue.Rearm();
        Assert.Equal(BgpExportOffer.Queued, queue.Offer(Change(5)));
        Assert.Equal(2, _wakes);
        Assert.False(queue.Take(out changes));
        Assert.Equal(new[] { Change(5) }, changes);
    }

    [Fact]
    public void Offer_AfterTake_WakesAgain()
    {
        var queue = new BgpExportQueue(10, () => _wakes++);
        queue.Offer(Change(0));
        queue.Take(out _);
        queue.Offer(Change(1));
        queue.Offer(Change(2));
        Assert.Equal(2, _wakes);
        Assert.False(queue.Take(out var changes));
        Assert.Equal(new[] { Change(1), Change(2) }, changes);
    }

    [Fact]
    public void Resubscribe_AfterOverflow_RearmsAndReturnsTheWholeSet()
    {
        var table = new BgpExportTable();
        var queue = new BgpExportQueue(1, () => _wakes++);
        Assert.Empty(table.Subscribe(queue));
        var a = BgpExportChange.Announced(new EvpnMulticastRoute(Change(1).Key, 100, IPAddress.Parse("192.0.2.1"), IPAddress.Parse("192.0.2.1"), []));
        var b = BgpExportChange.Announced(new EvpnMulticastRoute(Change(2).Key, 100, IPAddress.Parse("192.0.2.1"), IPAddress.Parse("192.0.2.1"), []));
        table.Announce(a.Route!);
        table.Announce(b.Route!);
        Assert.True(queue.Take(out _));
        Assert.Equal(2, table.Resubscribe(queue).Count);
        table.Withdraw(a.Key);
        Assert.False(queue.Take(out var changes));
        Assert.Equal(new[] { BgpExportChange.Withdrawn(a.Key) }, changes);
    }
}
