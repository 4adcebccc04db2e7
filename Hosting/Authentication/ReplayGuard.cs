using Replicator.Protocol.Control;

namespace Replicator.Hosting.Authentication;

/// <summary>
/// Refuses stale and replayed control messages with bounded memory. A message is fresh when its
/// timestamp lies within ±<see cref="MaxClockSkew"/> of this node's clock and its nonce was not
/// accepted before. A replay of a message with timestamp t is refused as stale once the clock
/// passes t + skew, so a nonce needs remembering for at most 2 x skew after it arrived; the guard
/// keeps nonces in arrival order and forgets them after that.
/// <para>
/// Memory is fixed at construction: at most <see cref="Capacity"/> nonces. When more fresh
/// messages arrive within one retention period, the oldest nonce is forgotten early, and the guard
/// then refuses as stale every timestamp up to the forgotten one's (the <em>floor</em>), so a
/// forgotten nonce can never be replayed. The same floor covers a wall clock stepped backwards.
/// Only messages whose MAC verified reach the guard (<see cref="ControlMessageVerifier"/>), so
/// filling it takes a key. Thread-safe; no allocation after construction.
/// </para>
/// </summary>
public sealed class ReplayGuard
{
    /// <summary>Default accepted clock difference between sender and receiver: 30 s.</summary>
    public static readonly TimeSpan DefaultMaxClockSkew = TimeSpan.FromSeconds(30);

    /// <summary>Default nonce capacity: 65536 (about 1,000 signed messages per second at the default skew; about 4 MB).</summary>
    public const int DefaultCapacity = 65536;

    private readonly TimeProvider _time;
    private readonly long _skewMilliseconds;
    private readonly long _retentionTicks;
    private readonly Lock _gate = new();
    private readonly HashSet<UInt128> _seen;
    private readonly UInt128[] _nonces;
    private readonly long[] _timestamps;
    private readonly long[] _arrivals;
    private int _head;
    private int _count;
    private long _floor = long.MinValue;
    private long _forcedEvictions;

    /// <param name="time">Wall clock for the window, monotonic timestamps for retention.</param>
    /// <param name="maxClockSkew">Accepted |sender clock - our clock|; 1 ms to 1 hour.</param>
    /// <param name="capacity">Most nonces remembered at once; 1 to 16,777,216.</param>
    public ReplayGuard(TimeProvider time, TimeSpan maxClockSkew, int capacity = DefaultCapacity)
    {
        _time = time ?? throw new ArgumentNullException(nameof(time));
        if (maxClockSkew < TimeSpan.FromMilliseconds(1) || maxClockSkew > TimeSpan.FromHours(1))
            throw new ArgumentOutOfRangeException(nameof(maxClockSkew), maxClockSkew, "must be between 1 ms and 1 hour");
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(capacity, 1 << 24);
        MaxClockSkew = maxClockSkew;
        Capacity = capacity;
        _skewMilliseconds = (long)maxClockSkew.TotalMilliseconds;
        _retentionTicks = (long)(2 * maxClockSkew.TotalSeconds * time.TimestampFrequency) + 1;
        _seen = new HashSet<UInt128>(capacity);
        _nonces = new UInt128[capacity];
        _timestamps = new long[capacity];
        _arrivals = new long[capacity];
    }

    public ReplayGuard(TimeProvider time) : this(time, DefaultMaxClockSkew)
    {
    }

    public TimeSpan MaxClockSkew { get; }

    public int Capacity { get; }

    /// <summary>Nonces remembered now.</summary>
    public int Count { get { lock (_gate) return _count; } }

    /// <summary>How many nonces were forgotten early because the guard was full (a sign of a flood by a key holder, or too small a capacity).</summary>
    public long ForcedEvictions => Interlocked.Read(ref _forcedEvictions);

    /// <summary>Decides on one message whose MAC already verified; remembers its nonce when fresh.</summary>
    public ReplayVerdict Check(AuthenticationTrailer trailer) => Check(trailer.TimestampUnixMilliseconds, trailer.Nonce);

    /// <inheritdoc cref="Check(AuthenticationTrailer)"/>
    public ReplayVerdict Check(long timestampUnixMilliseconds, UInt128 nonce)
    {
        long nowTicks = _time.GetTimestamp();
        long nowMs = _time.GetUtcNow().ToUnixTimeMilliseconds();
        lock (_gate)
        {
            Expire(nowTicks);
            if (timestampUnixMilliseconds < nowMs - _skewMilliseconds
                || timestampUnixMilliseconds > nowMs + _skewMilliseconds
                || timestampUnixMilliseconds <= _floor)
            {
                return ReplayVerdict.Stale;
            }
            if (_seen.Contains(nonce)) return ReplayVerdict.Replayed;
            if (_count == Capacity)
            {
                ForgetOldest();
                _forcedEvictions++;
                if (timestampUnixMilliseconds <= _floor) return ReplayVerdict.Stale;
            }
            int tail = (_head + _count) % Capacity;
            _nonces[tail] = nonce;
            _timestamps[tail] = timestampUnixMilliseconds;
            _arrivals[tail] = nowTicks;
            _count++;
            _seen.Add(nonce);
            return ReplayVerdict.Fresh;
        }
    }

    private void Expire(long nowTicks)
    {
        while (_count > 0 && nowTicks - _arrivals[_head] > _retentionTicks) ForgetOldest();
    }

    private void ForgetOldest()
    {
        _seen.Remove(_nonces[_head]);
        // Anything at or before a forgotten timestamp could be that message again.
        if (_timestamps[_head] > _floor) _floor = _timestamps[_head];
        _head = (_head + 1) % Capacity;
        _count--;
    }
}
