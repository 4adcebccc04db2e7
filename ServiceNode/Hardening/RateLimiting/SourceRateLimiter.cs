namespace Replicator.ServiceNode.Hardening.RateLimiting;

/// <summary>
/// One token bucket per source address in a table of at most <see cref="MaxSources"/> sources,
/// least recently seen evicted first. A source seen for the first time (or again after its
/// eviction) starts with a full bucket; so spoofing many sources can defeat the per-source
/// limit, which is why <see cref="ControlRateLimiter"/> adds a global bucket. All memory is
/// allocated in the constructor: a check allocates nothing. Thread-safe.
/// </summary>
internal sealed class SourceRateLimiter
{
    private const int None = -1;

    private readonly RateLimit _limit;
    private readonly double _tokensPerTick;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private readonly Dictionary<UInt128, int> _slots;
    private readonly UInt128[] _keys;
    private readonly TokenBucket[] _buckets;
    // Doubly linked recency list over slot indices: _newest ... _oldest.
    private readonly int[] _newer;
    private readonly int[] _older;
    private int _newest = None;
    private int _oldest = None;
    private int _used;
    private long _evictions;

    /// <param name="limit">The per-source limit; unlimited makes every check succeed without touching the table.</param>
    /// <param name="maxSources">Most sources tracked at once, 1..16,777,216.</param>
    public SourceRateLimiter(RateLimit limit, int maxSources, TimeProvider time)
    {
        _time = time ?? throw new ArgumentNullException(nameof(time));
        ArgumentOutOfRangeException.ThrowIfLessThan(maxSources, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxSources, 1 << 24);
        if (!limit.IsUnlimited) ArgumentOutOfRangeException.ThrowIfLessThan(limit.Burst, 1, nameof(limit));
        _limit = limit;
        _tokensPerTick = limit.PerSecond / time.TimestampFrequency;
        MaxSources = maxSources;
        int allocated = limit.IsUnlimited ? 0 : maxSources;
        _slots = new Dictionary<UInt128, int>(allocated);
        _keys = new UInt128[allocated];
        _buckets = new TokenBucket[allocated];
        _newer = new int[allocated];
        _older = new int[allocated];
    }

    public RateLimit Limit => _limit;

    public int MaxSources { get; }

    /// <summary>Sources tracked now.</summary>
    public int Count { get { lock (_gate) return _used; } }

    /// <summary>Sources dropped from the table to make room for new ones.</summary>
    public long Evictions => Interlocked.Read(ref _evictions);

    /// <summary>Takes one token from <paramref name="source"/>'s bucket (see <see cref="SourceKey"/>).</summary>
    public bool TryAcquire(UInt128 source)
    {
        if (_limit.IsUnlimited) return true;
        long now = _time.GetTimestamp();
        lock (_gate)
        {
            if (_slots.TryGetValue(source, out int slot))
            {
                MoveToNewest(slot);
            }
            else
            {
                slot = Allocate(source);
                _buckets[slot] = TokenBucket.Full(_limit, now);
            }
            return _buckets[slot].TryTake(now, _tokensPerTick, _limit.Burst);
        }
    }

    private int Allocate(UInt128 source)
    {
        int slot;
        if (_used < MaxSources)
        {
            slot = _used++;
        }
        else
        {
            slot = _oldest;
            Unlink(slot);
            _slots.Remove(_keys[slot]);
            _evictions++;
        }
        _keys[slot] = source;
        _slots.Add(source, slot);
        LinkAsNewest(slot);
        return slot;
    }

    private void MoveToNewest(int slot)
    {
        if (slot == _newest) return;
        Unlink(slot);
        LinkAsNewest(slot);
    }

    private void Unlink(int slot)
    {
        int newer = _newer[slot];
        int older = _older[slot];
        if (newer == None) _newest = older; else _older[newer] = older;
        if (older == None) _oldest = newer; else _newer[older] = newer;
    }

    private void LinkAsNewest(int slot)
    {
        _newer[slot] = None;
        _older[slot] = _newest;
        if (_newest != None) _newer[_newest] = slot;
        _newest = slot;
        if (_oldest == None) _oldest = slot;
    }
}
