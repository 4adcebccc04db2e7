namespace Replicator.ServiceNode.Bgp;

/// <summary>
/// The changes of the exported set not yet sent to one peer, at most <c>capacity</c> of them. A
/// peer that reads slower than the set changes would otherwise grow the queue without bound. When
/// full, the queue drops what it holds and asks for a resynchronisation instead: the session then
/// compares the whole set (taken by <see cref="BgpExportTable.Resubscribe"/>, which re-arms the queue
/// in the same step) with what the peer holds, so the peer still ends with exactly the current set.
/// Memory is thereby bounded by the capacity plus one copy of the set. The table offers changes under
/// its lock; the session's loop takes them; it is woken by one event per batch, never one per change.
/// </summary>
internal sealed class BgpExportQueue
{
    private readonly Lock _lock = new();
    private readonly int _capacity;
    private readonly Action _wake;
    private List<BgpExportChange> _pending = [];
    private List<BgpExportChange> _taken = [];
    private bool _overflowed;
    private bool _wakePosted;

    /// <param name="capacity">Changes held at most (<c>ServiceNode:Bgp:MaxQueuedChangesPerPeer</c>).</param>
    /// <param name="wake">Tells the session's loop to call <see cref="Take"/>; called at most once until it does, under the table's lock, so it must not block.</param>
    public BgpExportQueue(int capacity, Action wake)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        ArgumentNullException.ThrowIfNull(wake);
        _capacity = capacity;
        _wake = wake;
    }

    /// <summary>Queues <paramref name="change"/>, or overflows (drops the queue, a resynchronisation is due), or drops it while one is due.</summary>
    public BgpExportOffer Offer(BgpExportChange change)
    {
        BgpExportOffer result;
        lock (_lock)
        {
            if (_overflowed) return BgpExportOffer.Dropped;
            if (_pending.Count >= _capacity)
            {
                _pending.Clear();
                _overflowed = true;
                result = BgpExportOffer.Overflowed;
            }
            else
            {
                _pending.Add(change);
                result = BgpExportOffer.Queued;
            }
            if (_wakePosted) return result;
            _wakePosted = true;
        }
        _wake();
        return result;
    }

    /// <summary>
    /// The changes queued since the last call, in order, in <paramref name="changes"/> (valid until the next call;
    /// the loop's own list, so taking allocates nothing); true instead when the queue overflowed and the peer must be
    /// resynchronised (then <paramref name="changes"/> is empty and the queue drops changes until <see cref="Rearm"/>).
    /// </summary>
    public bool Take(out IReadOnlyList<BgpExportChange> changes)
    {
        lock (_lock)
        {
            _wakePosted = false;
            _taken.Clear();
            if (!_overflowed) (_pending, _taken) = (_taken, _pending);
            changes = _taken;
            return _overflowed;
        }
    }

    /// <summary>Queues changes again; called under the table's lock together with taking the set, so no change falls between the two.</summary>
    public void Rearm()
    {
        lock (_lock)
        {
            _overflowed = false;
            _pending.Clear();
        }
    }
}
