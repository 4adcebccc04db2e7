using Replicator.Protocol.Bgp;

namespace Replicator.ServiceNode.Bgp;

internal sealed partial class BgpSession
{
    /// <summary>At most one overflow message per peer in this time; the count of the others goes with the next.</summary>
    private static readonly TimeSpan OverflowLogInterval = TimeSpan.FromMinutes(1);

    // Rate limit of the overflow log; touched only by the loop.
    private long? _overflowLoggedAt;
    private int _overflowsUnlogged;

    /// <summary>Sends what the export queue holds, in order; after an overflow, the difference between the whole set and what the peer holds.</summary>
    private async Task SendExportChangesAsync(ConnectionContext context, CancellationToken ct)
    {
        if (context.ExportQueue.Take(out IReadOnlyList<BgpExportChange> changes))
        {
            CountOverflow();
            await ResynchroniseAsync(context, _exports.Resubscribe(context.ExportQueue), ct);
            return;
        }
        foreach (BgpExportChange change in changes)
        {
            if (change.Route is { } route) await AnnounceAsync(context, route, ct);
            else await WithdrawAsync(context, change.Key, ct);
        }
    }

    /// <summary>
    /// Brings the peer to exactly <paramref name="routes"/>: withdraws what it holds and the set no longer has, and
    /// announces what it lacks or holds in another version. What it holds is what this connection sent (TCP lost none of it).
    /// </summary>
    private async Task ResynchroniseAsync(ConnectionContext context, IReadOnlyList<EvpnMulticastRoute> routes, CancellationToken ct)
    {
        var current = new HashSet<EvpnMulticastRouteKey>(routes.Count);
        foreach (EvpnMulticastRoute route in routes) current.Add(route.Key);
        EvpnMulticastRouteKey[] gone = [.. context.Advertised.Keys.Where(k => !current.Contains(k))];
        foreach (EvpnMulticastRouteKey key in gone) await WithdrawAsync(context, key, ct);
        foreach (EvpnMulticastRoute route in routes)
        {
            if (context.Advertised.TryGetValue(route.Key, out var sent) && RouteEquality.Same(sent, route)) continue;
            await AnnounceAsync(context, route, ct);
        }
    }

    private void CountOverflow()
    {
        Interlocked.Increment(ref _exportOverflows);
        _metrics.ExportOverflow(this);
        _overflowsUnlogged++;
        long now = _time.GetTimestamp();
        if (_overflowLoggedAt is { } last && _time.GetElapsedTime(last, now) < OverflowLogInterval) return;
        BgpLog.ExportOverflow(_logger, PeerText, _settings.MaxQueuedChangesPerPeer, _overflowsUnlogged);
        _overflowLoggedAt = now;
        _overflowsUnlogged = 0;
    }
}
