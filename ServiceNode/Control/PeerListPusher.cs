using System.Collections.Immutable;
using System.Net;
using Replicator.Protocol.Control;
using Replicator.ServiceNode.Hardening;
using Replicator.ServiceNode.Registry;

namespace Replicator.ServiceNode.Control;

/// <summary>
/// Pushes a VNI's new peer list to every member that asked for responses when the VNI's
/// membership changes, so head-end VTEPs converge in well under a second instead of at their
/// next refresh. Bursts are coalesced: at most one push per VNI per <see cref="Window"/>; a change
/// inside the window is pushed when it ends, with the membership of that moment. Runs on the
/// registry loop (the timer only posts work to it).
/// Every published change is first recorded in the <see cref="PeerListHistory"/> (a new generation);
/// VTEPs that speak deltas (<see cref="DeltaReceivers"/>) then get the changes since the generation
/// last pushed for the VNI (a chain of steps, so one that joined in between applies those after its
/// own), the others the whole list as before; the steps of all VNIs pushed at one time go to a member
/// in one message. Every push goes through the <see cref="PushPacer"/>.
/// A lost push that was the last of a burst has no successor to reveal the gap, so once a VNI's pushes
/// have been quiet for <see cref="SettleTime"/> each proven delta-speaking member gets one small
/// datagram stating the current generation (<see cref="CurrentGenerationDelta"/>): a member holding
/// it changes nothing, any other resynchronises at once (PROTOCOL.md 5.2). A VTEP answered with a delta
/// or a full list gets the same statement after the settle time: a lost answer or part would otherwise
/// leave it behind until its refresh. Each statement is made once more <see cref="RestateDelay"/> later
/// (unless a newer push supersedes it): a member that lost both the last delta and the statement would
/// otherwise wait for its refresh.
/// </summary>
internal sealed class PeerListPusher : IMembershipListener, IDisposable
{
    public static readonly TimeSpan Window = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Quiet time after a VNI's last push before its members are told its current generation: a few
    /// windows, so a join wave gets one such datagram per member at its end, not one per push.
    /// </summary>
    public static readonly TimeSpan SettleTime = TimeSpan.FromMilliseconds(300);

    /// <summary>
    /// After a statement, how long before it is made once more: well past the settle time, so that a
    /// member the first statement repaired has registered and been answered before the second arrives.
    /// </summary>
    public static readonly TimeSpan RestateDelay = TimeSpan.FromSeconds(1);

    private readonly Dictionary<uint, long> _lastPush = new();
    private readonly HashSet<uint> _pending = new();
    private readonly HashSet<IPEndPoint> _subscribers = new();
    private readonly Dictionary<uint, uint> _pushedGeneration = new(); // VNIs with a history only
    private readonly List<VtepAddress> _members = new();
    private readonly PeerListSender _sender;
    private readonly PeerListHistory? _history;
    private readonly DeltaReceivers? _receivers;
    private readonly PushPacer? _pacer;
    private readonly ControlMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly Func<IRegistryWriter> _writer;
    private readonly Dictionary<uint, long> _unsettled = new(); // VNI -> its last versioned push, until the current generation is stated
    private readonly Dictionary<(IPEndPoint To, uint Vni), long> _unsettledAnswers = new(); // answers that changed a VTEP's generation, likewise
    private readonly Dictionary<uint, long> _restate = new(); // VNI -> its first statement, until made once more
    private readonly Dictionary<(IPEndPoint To, uint Vni), long> _restateAnswers = new(); // likewise for statements after answers
    private readonly ITimer _timer;
    private readonly ITimer _settleTimer;
    private bool _timerArmed;
    private bool _settleArmed;

    /// <param name="pacer">Null: every push is sent at once (unit tests of the coalescing).</param>
    public PeerListPusher(PeerListSender sender, ControlMetrics metrics, TimeProvider time, Func<IRegistryWriter> writer,
        DeltaReceivers? receivers = null, PushPacer? pacer = null)
    {
        _history = sender?.History;
        _receivers = receivers;
        _pacer = pacer;
        _sender = sender ?? throw new ArgumentNullException(nameof(sender));
        _metrics = metrics ?? throw new ArgumentNullException(nameof(metrics));
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _writer = writer ?? throw new ArgumentNullException(nameof(writer));
        _timer = time.CreateTimer(static s => ((PeerListPusher)s!).OnTimer(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _sender.AnsweredWithChanges = OnAnsweredWithChanges;
        _settleTimer = time.CreateTimer(static s => ((PeerListPusher)s!).OnSettleTimer(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    public void OnMembershipChanged(Registry.Registry registry, IReadOnlyList<uint> vnis)
    {
        if (_history is not null)
        {
            // The sets just published (the node's own addresses left out, as in every peer list).
            foreach (uint vni in vnis)
            {
                _members.Clear();
                registry.CollectMembers(vni, _members);
                _history.Record(vni, [.. _members.Select(static m => m.ToIPAddress())]);
            }
        }
        long now = _time.GetTimestamp();
        List<uint>? due = null;
        foreach (uint vni in vnis)
        {
            if (_lastPush.TryGetValue(vni, out long last) && _time.GetElapsedTime(last, now) < Window) _pending.Add(vni);
            else (due ??= []).Add(vni);
        }
        if (due is not null) Push(registry, due, now);
        if (_pending.Count > 0) Arm();
        Prune(now);
    }

    private void OnTimer() => _writer().Post(Flush);

    private void Flush(Registry.Registry registry)
    {
        _timerArmed = false;
        long now = _time.GetTimestamp();
        List<uint>? due = null;
        foreach (uint vni in _pending)
        {
            if (!_lastPush.TryGetValue(vni, out long last) || _time.GetElapsedTime(last, now) >= Window) (due ??= []).Add(vni);
        }
        if (due is not null)
        {
            foreach (uint vni in due) _pending.Remove(vni);
            Push(registry, due, now);
        }
        if (_pending.Count > 0) Arm();
    }

    // Pushes the VNIs due now. A delta-speaking member gets the steps of all of them that concern it in one
    // message (a VTEP in 100 VNIs that all changed gets a datagram or two, not 100), encoded once for every
    // member with the same VNIs; full lists (no history, or a member without deltas) go per VNI as before.
    private void Push(Registry.Registry registry, List<uint> vnis, long now)
    {
        Dictionary<IPEndPoint, List<uint>>? stepsOf = null; // member -> the VNIs whose steps it gets, in order
        Dictionary<uint, List<PeerListDelta>>? steps = null;
        foreach (uint vni in vnis)
        {
            _lastPush[vni] = now;
            uint generation = 0;
            ImmutableArray<IPAddress> members = [];
            bool versioned = _history?.TryGetCurrent(vni, out generation, out members) == true;
            bool pushedBefore = _pushedGeneration.TryGetValue(vni, out uint from);
            if (versioned) _pushedGeneration[vni] = generation;
            else _pushedGeneration.Remove(vni);
            _subscribers.Clear();
            registry.CollectSubscribers(vni, _subscribers);
            if (_subscribers.Count == 0) continue;
            IReadOnlyList<byte[]>? full = null, fullWithGeneration = null;
            List<PeerListDelta>? vniSteps = null;
            bool stepsKnown = false;
            foreach (var subscriber in _subscribers)
            {
                if (versioned && _receivers?.Speaks(subscriber) == true)
                {
                    if (pushedBefore && from == generation) continue; // nothing new since the last push
                    if (!stepsKnown)
                    {
                        vniSteps = Steps(vni, from, pushedBefore);
                        stepsKnown = true;
                        if (vniSteps is not null) (steps ??= [])[vni] = vniSteps;
                    }
                    if (vniSteps is null)
                    {
                        fullWithGeneration ??= _sender.EncodeFull([new VniAddresses(vni, members)], [new VniGeneration(vni, generation)]);
                        Send(fullWithGeneration, subscriber, PeerListKind.Full);
                    }
                    else
                    {
                        stepsOf ??= [];
                        if (!stepsOf.TryGetValue(subscriber, out var of)) stepsOf[subscriber] = of = [];
                        of.Add(vni);
                    }
                    _unsettled[vni] = now;
                    _restate.Remove(vni); // this burst's statements supersede the last one's
                }
                else
                {
                    full ??= _sender.Encode(registry, [vni]);
                    Send(full, subscriber, PeerListKind.Full);
                }
            }
            if (_unsettled.ContainsKey(vni)) ArmSettle(SettleTime);
        }
        if (stepsOf is null) return;
        var encoded = new Dictionary<List<uint>, IReadOnlyList<byte[]>>(VniSequence.Comparer);
        foreach (var (subscriber, of) in stepsOf)
        {
            if (!encoded.TryGetValue(of, out var datagrams))
            {
                var deltas = new List<PeerListDelta>();
                foreach (uint vni in of) deltas.AddRange(steps![vni]);
                encoded[of] = datagrams = _sender.EncodeDeltas(deltas);
            }
            Send(datagrams, subscriber, PeerListKind.Delta);
        }
    }

    // The steps since the last push when the history still has them; null: the member gets the whole list.
    private List<PeerListDelta>? Steps(uint vni, uint from, bool pushedBefore)
    {
        var deltas = new List<PeerListDelta>();
        return pushedBefore && _history!.TryAppendDeltas(vni, from, deltas) ? deltas : null;
    }

    /// <summary>Equal VNI sequences: members that get the steps of the same VNIs share one encoding.</summary>
    private sealed class VniSequence : IEqualityComparer<List<uint>>
    {
        public static readonly VniSequence Comparer = new();

        public bool Equals(List<uint>? x, List<uint>? y) => ReferenceEquals(x, y) || (x is not null && y is not null && x.SequenceEqual(y));

        public int GetHashCode(List<uint> vnis)
        {
            var hash = new HashCode();
            foreach (uint vni in vnis) hash.Add(vni);
            return hash.ToHashCode();
        }
    }

    // From the anycast address in a cluster: VTEPs register with it and accept lists only from it.
    // Without authentication each send writes that subscriber's cookie and applies its return-routability budget.
    private void Send(IReadOnlyList<byte[]> datagrams, IPEndPoint subscriber, PeerListKind kind)
    {
        if (_pacer is not null)
        {
            _pacer.Send(datagrams, subscriber, ControlSource.Anycast, kind);
            return;
        }
        int sent = _sender.SendCounted(datagrams, subscriber, ControlSource.Anycast, kind);
        if (sent > 0) _metrics.PeerListsPushedAdd(sent);
    }

    /// <summary>Answers cap this many VTEP-VNI pairs waiting for their statement; beyond it the refresh repairs.</summary>
    internal const int MaxUnsettledAnswers = 1 << 16;

    private void OnAnsweredWithChanges(IPEndPoint destination, uint vni)
    {
        if (_unsettledAnswers.Count >= MaxUnsettledAnswers && !_unsettledAnswers.ContainsKey((destination, vni))) return;
        _unsettledAnswers[(destination, vni)] = _time.GetTimestamp();
        _restateAnswers.Remove((destination, vni));
        ArmSettle(SettleTime);
    }

    private void OnSettleTimer() => _writer().Post(Settle);

    // States the current generation of every VNI whose pushes have been quiet for SettleTime.
    private void Settle(Registry.Registry registry)
    {
        _settleArmed = false;
        long now = _time.GetTimestamp();
        List<uint>? due = null;
        TimeSpan next = SettleTime;
        foreach (var (vni, last) in _unsettled)
        {
            TimeSpan quiet = _time.GetElapsedTime(last, now);
            // A push still waiting for its window resets the quiet time when it goes.
            if (quiet >= SettleTime && !_pending.Contains(vni)) (due ??= []).Add(vni);
            else if (SettleTime - quiet > TimeSpan.Zero && SettleTime - quiet < next) next = SettleTime - quiet;
        }
        if (due is not null)
        {
            foreach (uint vni in due)
            {
                _unsettled.Remove(vni);
                StateCurrentGeneration(registry, vni);
                _restate[vni] = now;
            }
        }
        List<(IPEndPoint To, uint Vni)>? answered = null;
        foreach (var (key, at) in _unsettledAnswers)
        {
            TimeSpan quiet = _time.GetElapsedTime(at, now);
            // A VNI with pushes under way (not yet sent, or not yet settled) waits for them: stating it now
            // would name a generation the pushes have not brought yet.
            if (_pending.Contains(key.Vni) || _unsettled.ContainsKey(key.Vni)) continue;
            if (quiet >= SettleTime) (answered ??= []).Add(key);
            else if (SettleTime - quiet < next) next = SettleTime - quiet;
        }
        if (answered is not null)
        {
            foreach (var (to, vni) in answered)
            {
                _unsettledAnswers.Remove((to, vni));
                StateCurrentGeneration(to, vni);
                if (_restateAnswers.Count < MaxUnsettledAnswers) _restateAnswers[(to, vni)] = now;
            }
        }
        next = Restate(registry, now, next);
        if (_unsettled.Count > 0 || _unsettledAnswers.Count > 0 || _restate.Count > 0 || _restateAnswers.Count > 0) ArmSettle(next);
    }

    // Makes each statement once more RestateDelay after it (a VNI with pushes under way waits for their own
    // statement instead); returns the sooner of next and when the next one is due.
    private TimeSpan Restate(Registry.Registry registry, long now, TimeSpan next)
    {
        List<uint>? vnis = null;
        foreach (var (vni, at) in _restate)
        {
            if (_pending.Contains(vni) || _unsettled.ContainsKey(vni)) continue;
            TimeSpan quiet = _time.GetElapsedTime(at, now);
            if (quiet >= RestateDelay) (vnis ??= []).Add(vni);
            else if (RestateDelay - quiet < next) next = RestateDelay - quiet;
        }
        if (vnis is not null)
        {
            foreach (uint vni in vnis)
            {
                _restate.Remove(vni);
                StateCurrentGeneration(registry, vni);
            }
        }
        List<(IPEndPoint To, uint Vni)>? answers = null;
        foreach (var (key, at) in _restateAnswers)
        {
            if (_pending.Contains(key.Vni) || _unsettled.ContainsKey(key.Vni) || _unsettledAnswers.ContainsKey(key)) continue;
            TimeSpan quiet = _time.GetElapsedTime(at, now);
            if (quiet >= RestateDelay) (answers ??= []).Add(key);
            else if (RestateDelay - quiet < next) next = RestateDelay - quiet;
        }
        if (answers is not null)
        {
            foreach (var (to, vni) in answers)
            {
                _restateAnswers.Remove((to, vni));
                StateCurrentGeneration(to, vni);
            }
        }
        return next;
    }

    // One datagram per delta-speaking member that has proven it receives (no amplification towards
    // forged sources), through the pacer like every push.
    private void StateCurrentGeneration(Registry.Registry registry, uint vni)
    {
        if (_history is null || _receivers is null || !_history.TryGetCurrent(vni, out uint generation, out _)) return;
        _subscribers.Clear();
        registry.CollectSubscribers(vni, _subscribers);
        IReadOnlyList<byte[]>? datagrams = null;
        foreach (var subscriber in _subscribers)
        {
            if (!_receivers.Speaks(subscriber) || !_sender.HasProven(subscriber)) continue;
            datagrams ??= _sender.EncodeDeltas([CurrentGenerationDelta(_history, vni, generation)]);
            Send(datagrams, subscriber, PeerListKind.Current);
        }
    }

    private void StateCurrentGeneration(IPEndPoint to, uint vni)
    {
        if (_history is null || _receivers is null || !_history.TryGetCurrent(vni, out uint generation, out _)) return;
        if (!_receivers.Speaks(to) || !_sender.HasProven(to)) return;
        Send(_sender.EncodeDeltas([CurrentGenerationDelta(_history, vni, generation)]), to, PeerListKind.Current);
    }

    /// <summary>
    /// The delta that states <paramref name="generation"/>: the VNI's last step again when it is small
    /// (a member that lost just that push is repaired without a round trip), else an empty step from
    /// the generation to itself. Either way a member holding the generation changes nothing and any
    /// other sees a delta that does not end where it is, and registers again.
    /// </summary>
    internal static PeerListDelta CurrentGenerationDelta(PeerListHistory history, uint vni, uint generation)
    {
        var steps = new List<PeerListDelta>(1);
        uint previous = generation == 1 ? uint.MaxValue : generation - 1; // generations skip 0
        if (history.TryAppendDeltas(vni, previous, steps) && steps is [var last]
            && last.Generation == generation && last.Added.Count + last.Removed.Count <= MaxRepeatedAddresses)
        {
            return last;
        }
        return new PeerListDelta(vni, generation, generation, [], []);
    }

    /// <summary>Addresses of a last step that is repeated whole (16 IPv6 addresses fit one datagram with room to spare).</summary>
    internal const int MaxRepeatedAddresses = 16;

    private void ArmSettle(TimeSpan due)
    {
        if (_settleArmed) return;
        _settleArmed = true;
        _settleTimer.Change(due, Timeout.InfiniteTimeSpan);
    }

    private void Arm()
    {
        if (_timerArmed) return;
        _timerArmed = true;
        _timer.Change(Window, Timeout.InfiniteTimeSpan);
    }

    private void Prune(long now)
    {
        // Only VNIs pushed within the window matter; keep the map from growing with every VNI ever seen.
        if (_lastPush.Count < 4096) return;
        List<uint>? old = null;
        foreach (var (vni, last) in _lastPush)
        {
            if (_time.GetElapsedTime(last, now) >= Window && !_pending.Contains(vni)) (old ??= []).Add(vni);
        }
        if (old is not null) foreach (uint vni in old) _lastPush.Remove(vni);
    }

    public void Dispose()
    {
        _timer.Dispose();
        _settleTimer.Dispose();
    }
}
