using System.Net;
using Replicator.Hosting.Configuration;
using Replicator.ServiceNode.Control;
using Replicator.ServiceNode.Hardening.RateLimiting;
using Replicator.ServiceNode.Registry;

namespace Replicator.ServiceNode.Hardening;

/// <summary>
/// Paces pushed peer lists: a token bucket per destination and one for all (<see cref="ControlLimitsOptions"/>
/// <c>PushRatePerDestination</c>, <c>PushRateGlobal</c>, <c>PushBurstSeconds</c>), so a join wave of thousands
/// of VTEPs never bursts more than the configured rate onto the network or one VTEP. What may not go yet waits
/// in one bounded queue (<c>PushQueueCapacity</c> datagrams), in order per destination (a delta after the one
/// it builds on); when full, new pushes are dropped and counted, and the VTEP's next refresh repairs them (its
/// held generation travels with it). Answers to registrations are not paced: the per-source rate limit already
/// bounds them. Used only on the registry loop, where the queue drains too (a timer posts the drain).
/// </summary>
internal sealed class PushPacer : IDisposable
{
    private static readonly TimeSpan DrainInterval = TimeSpan.FromMilliseconds(10);
    private const int MaxTrackedDestinations = 1 << 20;

    private readonly LinkedList<Item> _queue = new();
    private readonly Dictionary<IPEndPoint, int> _queuedFor = new();
    private readonly Dictionary<IPEndPoint, TokenBucket> _buckets = new();
    private readonly PeerListSender _sender;
    private readonly ControlMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly Func<IRegistryWriter> _writer;
    private readonly ITimer _timer;
    private readonly double _perDestination, _global, _burstSeconds;
    private readonly int _capacity;
    private TokenBucket _total;
    private int _queuedDatagrams;
    private bool _armed;

    public PushPacer(IReloadableOptions<ControlLimitsOptions> options, PeerListSender sender, ControlMetrics metrics, TimeProvider time, Func<IRegistryWriter> writer)
    {
        ArgumentNullException.ThrowIfNull(options);
        _sender = sender ?? throw new ArgumentNullException(nameof(sender));
        _metrics = metrics ?? throw new ArgumentNullException(nameof(metrics));
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _writer = writer ?? throw new ArgumentNullException(nameof(writer));
        var o = options.Current;
        (_perDestination, _global, _burstSeconds, _capacity) = (o.PushRatePerDestination, o.PushRateGlobal, o.PushBurstSeconds, o.PushQueueCapacity);
        _total = Full(_global, time.GetTimestamp());
        _timer = time.CreateTimer(static s => ((PushPacer)s!).OnTimer(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Datagrams waiting now.</summary>
    public int Queued => _queuedDatagrams;

    /// <summary>Sends now when both buckets allow and nothing for the destination waits; else queues, or drops when the queue is full.</summary>
    public void Send(IReadOnlyList<byte[]> datagrams, IPEndPoint destination, ControlSource from, PeerListKind kind)
    {
        ArgumentNullException.ThrowIfNull(datagrams);
        ArgumentNullException.ThrowIfNull(destination);
        long now = _time.GetTimestamp();
        if (!_queuedFor.ContainsKey(destination) && TryTake(destination, datagrams.Count, now))
        {
            Deliver(datagrams, destination, from, kind);
            return;
        }
        if (_queuedDatagrams + datagrams.Count > _capacity)
        {
            _metrics.PushDropped(datagrams.Count);
            return;
        }
        _queue.AddLast(new Item(datagrams, destination, from, kind));
        _queuedFor[destination] = _queuedFor.GetValueOrDefault(destination) + 1;
        _queuedDatagrams += datagrams.Count;
        _metrics.Paced(datagrams.Count);
        Arm();
    }

    /// <summary>Sends what the buckets allow now, oldest first, keeping each destination's order.</summary>
    internal void Drain()
    {
        _armed = false;
        long now = _time.GetTimestamp();
        HashSet<IPEndPoint>? blocked = null;
        for (var node = _queue.First; node is not null;)
        {
            var next = node.Next;
            var item = node.Value;
            if (blocked?.Contains(item.Destination) == true)
            {
                node = next;
                continue;
            }
            if (!Allows(ref _total, item.Datagrams.Count, _global, now)) break;
            if (!TryTake(item.Destination, item.Datagrams.Count, now))
            {
                (blocked ??= []).Add(item.Destination);
                node = next;
                continue;
            }
            _queue.Remove(node);
            _queuedDatagrams -= item.Datagrams.Count;
            if (--_queuedFor[item.Destination] == 0) _queuedFor.Remove(item.Destination);
            Deliver(item.Datagrams, item.Destination, item.From, item.Kind);
            node = next;
        }
        if (_queue.Count > 0) Arm();
    }

    private void Deliver(IReadOnlyList<byte[]> datagrams, IPEndPoint destination, ControlSource from, PeerListKind kind)
    {
        int sent = _sender.SendCounted(datagrams, destination, from, kind);
        if (sent > 0) _metrics.PeerListsPushedAdd(sent);
    }

    private bool TryTake(IPEndPoint destination, int count, long now)
    {
        if (!Allows(ref _total, count, _global, now)) return false;
        if (_perDestination > 0)
        {
            if (!_buckets.TryGetValue(destination, out var bucket))
            {
                if (_buckets.Count >= MaxTrackedDestinations) _buckets.Clear(); // forgetting only makes buckets full again
                bucket = Full(_perDestination, now);
            }
            if (!Allows(ref bucket, count, _perDestination, now)) return false;
            bucket.Tokens -= count;
            _buckets[destination] = bucket;
        }
        _total.Tokens -= count;
        return true;
    }

    private void OnTimer() => _writer().Post(_ => Drain());

    private void Arm()
    {
        if (_armed) return;
        _armed = true;
        _timer.Change(DrainInterval, Timeout.InfiniteTimeSpan);
    }

    public void Dispose() => _timer.Dispose();

    private sealed record Item(IReadOnlyList<byte[]> Datagrams, IPEndPoint Destination, ControlSource From, PeerListKind Kind);

    private TokenBucket Full(double rate, long now) => new() { Tokens = rate * _burstSeconds, LastTimestamp = now };

    /// <summary>
    /// Whether a bucket of datagrams lets <paramref name="count"/> go now (the caller then takes them).
    /// A push of more datagrams than the burst goes once the bucket is full and leaves it in debt, so a
    /// large list is never stuck; rate 0 means unlimited.
    /// </summary>
    private bool Allows(ref TokenBucket bucket, int count, double rate, long now)
    {
        if (rate <= 0) return true;
        double burst = Math.Max(1, rate * _burstSeconds);
        bucket.Refill(now, rate / _time.TimestampFrequency, burst);
        return bucket.Tokens >= Math.Min(count, burst);
    }
}
