using System.Net;
using Replicator.Protocol.Control;

namespace Replicator.RegistrationDaemon.Registration;

/// <summary>
/// Puts split peer lists back together: parts of one list (same sender address, port and
/// generation) are held until all have arrived, then merged (a VNI's members may span parts), so
/// the daemon only ever sees complete member sets and never removes a peer because its part is
/// still on the way. The channel only hands it parts from the service node's address and port.
/// Every sender is bounded (pending lists, parts, addresses), slots are taken per part received,
/// never per part announced, and a list that cannot complete within <see cref="PendingLifetime"/>
/// is dropped: a list announcing more parts than can ever be held is refused at its first part,
/// and room for a new part is made by evicting the pending list furthest from completion, so junk
/// claiming thousands of parts cannot crowd out a real list. A list whose parts have stopped coming
/// is found by <see cref="RepairQuiet"/>, which the daemon loop calls on its timer (PROTOCOL.md 5.2,
/// "incomplete lists"), so the repair never waits for another datagram: the daemon registers again, naming
/// the newest incomplete list and the parts it holds (<see cref="NewestIncomplete"/>, Register key 7), and
/// the parts held stay, so the answer only has to bring the missing ones. Not thread-safe: the
/// channel serialises the receive loop's <see cref="Add"/> and the daemon loop's <see cref="RepairQuiet"/>.
/// </summary>
internal sealed class PeerListAssembler
{
    /// <summary>Incomplete lists one sender may have in flight (the service node sends a list's parts back to back).</summary>
    public const int MaxPendingListsPerSender = 4;

    /// <summary>Parts one sender may have held across its pending lists; a list announcing more is refused outright.</summary>
    public const int MaxPendingPartsPerSender = 4096;

    /// <summary>
    /// Entries (VNIs and addresses: an empty VNI costs an object too) one sender may have held across
    /// its pending lists: the memory bound, about 40 bytes each.
    /// </summary>
    public const int MaxPendingAddressesPerSender = 1 << 19;

    /// <summary>Incomplete lists held in all (bounds the senders too, should the channel ever pass several).</summary>
    public const int MaxPendingLists = 16;

    /// <summary>How long a list may take to complete from its first part; parts of one list leave the service node within milliseconds.</summary>
    public static readonly TimeSpan PendingLifetime = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long an incomplete list may go without a new part before vxrd registers again to have it
    /// repeated (PROTOCOL.md 5.2), keeping the parts it holds. The parts of one list leave the service node back to back (the pacer holds or
    /// sends a push whole, answers are not paced), so on a healthy path they are milliseconds apart.
    /// </summary>
    public static readonly TimeSpan QuietLimit = TimeSpan.FromMilliseconds(500);

    private readonly TimeProvider _time;
    private readonly RegistrationMetrics? _metrics;
    private readonly Dictionary<(IPEndPoint Sender, uint Generation), Pending> _pending = [];
    // The instance (PeerList key 8) of the last message: every list held is of this run (ForgetOtherRun).
    private uint? _instance;
    private long _arrivals;

    /// <param name="metrics">Counts what is dropped (<c>vxrd.control.dropped</c>); null: not counted.</param>
    public PeerListAssembler(TimeProvider? time = null, RegistrationMetrics? metrics = null)
    {
        _time = time ?? TimeProvider.System;
        _metrics = metrics;
    }

    /// <summary>Parts held right now, all senders together (for tests and bounds).</summary>
    public int PendingParts => _pending.Values.Sum(p => p.Parts.Count);

    /// <summary>Incomplete lists held right now.</summary>
    public int PendingLists => _pending.Count;

    /// <summary>
    /// Finds every list whose last part (or last repair) was at least <paramref name="quietFor"/> ago: a part
    /// was lost, so the caller asks for the list again. Its parts are KEPT and its quiet time starts over:
    /// a repeated answer at the same generation repeats the same parts with the same message generation
    /// (PROTOCOL.md 5.2), so it fills in what is missing instead of starting over, and the list is looked at
    /// again only after another quiet period. Lists whose first part arrived <see cref="PendingLifetime"/> ago
    /// are given up (counted as <c>incomplete</c>). Returns the quiet lists (still held).
    /// </summary>
    public int RepairQuiet(TimeSpan quietFor)
    {
        var now = _time.GetUtcNow();
        Expire(now);
        int quiet = 0;
        foreach (var pending in _pending.Values)
        {
            if (now - pending.LastSeen < quietFor) continue;
            pending.LastSeen = now;
            pending.Repaired = true;
            quiet++;
        }
        return quiet;
    }

    /// <summary>
    /// The newest incomplete full list (the one whose first part arrived last among the split lists whose parts
    /// name their generations, PeerList key 6), as Register key 7 names it: its message generation, part count
    /// and the parts held (PROTOCOL.md 5.2, "missing parts only"); null when none is held. Split deltas are
    /// never named: the generations the VTEP holds (key 6) already get it the deltas it lacks, and a delta
    /// message held in part must not hide the full list that the VTEP is still waiting for. The list is marked
    /// repaired: the answer completes it after newer messages arrived, which says nothing about the sender's
    /// counter going back.
    /// </summary>
    public IncompleteList? NewestIncomplete()
    {
        Expire(_time.GetUtcNow());
        KeyValuePair<(IPEndPoint Sender, uint Generation), Pending>? newest = null;
        foreach (var kv in _pending)
        {
            if (kv.Value.FullList && (newest is not { } n || kv.Value.Arrival > n.Value.Arrival)) newest = kv;
        }
        if (newest is not { } found) return null;
        var pending = found.Value;
        pending.Repaired = true;
        return IncompleteList.Of(found.Key.Generation, pending.Count, i => pending.Parts.ContainsKey((ushort)i)) with { Instance = _instance };
    }

    /// <summary>Adds one datagram's message; returns the complete update when this part completed one.</summary>
    public PeerListUpdate? Add(IPEndPoint sender, PeerListMessage message)
    {
        ArgumentNullException.ThrowIfNull(sender);
        ArgumentNullException.ThrowIfNull(message);
        var now = _time.GetUtcNow();
        Expire(now);
        if (message.Instance != _instance) ForgetOtherRun();
        _instance = message.Instance;
        if (message.PartCount <= 1) return ToUpdate(sender, message.HoldTimeSeconds, [message], message.Generation);
        if (message.PartIndex >= message.PartCount) return Drop("bad_part");
        if (message.PartCount > MaxPendingPartsPerSender) return Drop("too_many_parts");
        int addresses = Addresses(message);
        var key = (sender, message.Generation);
        if (_pending.TryGetValue(key, out var pending))
        {
            if (pending.Count != message.PartCount) return Drop("inconsistent_part");
            if (pending.Parts.Remove(message.PartIndex, out var previous)) pending.Addresses -= Addresses(previous); // a repeat: the newest copy wins
        }
        else
        {
            _pending[key] = pending = new Pending(sender, message.PartCount, now, ++_arrivals);
        }
        if (!MakeRoom(pending, addresses))
        {
            Evict(key, pending);
            return Drop("too_large");
        }
        pending.Parts[message.PartIndex] = message;
        pending.Addresses += addresses;
        if (message.Generations is not null && message.Deltas is null) pending.FullList = true;
        pending.LastSeen = now;
        if (pending.Parts.Count < pending.Count) return null;
        _pending.Remove(key);
        return ToUpdate(sender, message.HoldTimeSeconds, Enumerable.Range(0, pending.Count).Select(i => pending.Parts[(ushort)i]), message.Generation) with { Repaired = pending.Repaired };
    }

    // Evicts other lists until one more part of `adding` (with `addresses` addresses) fits the
    // bounds; false when the list alone is over them (it can never complete).
    private bool MakeRoom(Pending adding, int addresses)
    {
        while (true)
        {
            int lists = 0, parts = 0, held = 0;
            foreach (var p in _pending.Values)
            {
                if (!p.Sender.Equals(adding.Sender)) continue;
                lists++;
                parts += p.Parts.Count;
                held += p.Addresses;
            }
            bool fits = lists <= MaxPendingListsPerSender && parts + 1 <= MaxPendingPartsPerSender
                && (long)held + addresses <= MaxPendingAddressesPerSender && _pending.Count <= MaxPendingLists;
            if (fits) return true;
            var victim = Victim(adding, sameSender: _pending.Count <= MaxPendingLists);
            if (victim is not { } v) return false;
            Evict(v.Key, v.Value);
        }
    }

    // The list furthest from completion (most parts missing: junk announcing thousands of parts
    // goes before a real list of a few), the oldest among equals; never the one being added to.
    private KeyValuePair<(IPEndPoint Sender, uint Generation), Pending>? Victim(Pending adding, bool sameSender)
    {
        KeyValuePair<(IPEndPoint Sender, uint Generation), Pending>? victim = null;
        foreach (var kv in _pending)
        {
            var p = kv.Value;
            if (ReferenceEquals(p, adding) || (sameSender && !p.Sender.Equals(adding.Sender))) continue;
            if (victim is not { } v || p.Missing > v.Value.Missing || (p.Missing == v.Value.Missing && p.Arrival < v.Value.Arrival)) victim = kv;
        }
        return victim;
    }

    private int Expire(DateTimeOffset now)
    {
        if (_pending.Count == 0) return 0;
        int expired = 0;
        foreach (var kv in _pending.Where(kv => now - kv.Value.FirstSeen >= PendingLifetime).ToList())
        {
            _metrics?.ControlDropped("incomplete", kv.Value.Parts.Count);
            _pending.Remove(kv.Key);
            expired++;
        }
        return expired;
    }

    // The service node restarted (or another node of its cluster answers): it counts message generations from
    // the start again, so a part of its new message must not complete the old run's list (PROTOCOL.md 5.3); the
    // old run's lists can never complete, and repairing them would only send registrations to a node that is relearning.
    private void ForgetOtherRun()
    {
        foreach (var kv in _pending.ToList()) Evict(kv.Key, kv.Value);
    }

    private void Evict((IPEndPoint Sender, uint Generation) key, Pending pending)
    {
        if (pending.Parts.Count > 0) _metrics?.ControlDropped("evicted", pending.Parts.Count);
        _pending.Remove(key);
    }

    private PeerListUpdate? Drop(string reason)
    {
        _metrics?.ControlDropped(reason);
        return null;
    }

    // What a part costs against MaxPendingAddressesPerSender: each VNI, delta and address.
    private static int Addresses(PeerListMessage message)
    {
        int n = 0;
        foreach (var v in message.Vnis) n += 1 + v.Addresses.Count;
        if (message.Deltas is { } deltas) foreach (var d in deltas) n += 1 + d.Added.Count + d.Removed.Count;
        return n;
    }

    private static PeerListUpdate ToUpdate(IPEndPoint sender, uint holdTimeSeconds, IEnumerable<PeerListMessage> parts, uint generation)
    {
        var members = new Dictionary<uint, List<IPAddress>>();
        Dictionary<uint, uint>? generations = null;
        List<PeerListDelta>? deltas = null;
        uint? instance = null;
        foreach (var part in parts)
        {
            instance ??= part.Instance;
            foreach (var v in part.Vnis)
            {
                if (!members.TryGetValue(v.Vni, out var list)) members[v.Vni] = list = [];
                list.AddRange(v.Addresses);
            }
            if (part.Generations is { } g)
            {
                generations ??= [];
                foreach (var vg in g) generations[vg.Vni] = vg.Generation;
            }
            if (part.Deltas is { } d) JoinDeltas(deltas ??= [], d);
        }
        return new PeerListUpdate(sender, TimeSpan.FromSeconds(holdTimeSeconds),
            members.ToDictionary(kv => kv.Key, kv => (IReadOnlyList<IPAddress>)kv.Value), generation)
        {
            Generations = generations,
            Deltas = deltas,
            Instance = instance,
        };
    }

    // A delta cut over parts (PROTOCOL.md 6) arrives as consecutive pieces with the same VNI and generations: one again.
    private static void JoinDeltas(List<PeerListDelta> into, IReadOnlyList<PeerListDelta> pieces)
    {
        foreach (var p in pieces)
        {
            if (into.Count > 0 && into[^1] is var last && last.Vni == p.Vni && last.BaseGeneration == p.BaseGeneration && last.Generation == p.Generation)
                into[^1] = last with { Added = [.. last.Added, .. p.Added], Removed = [.. last.Removed, .. p.Removed] };
            else
                into.Add(p);
        }
    }

    private sealed class Pending(IPEndPoint sender, ushort count, DateTimeOffset firstSeen, long arrival)
    {
        public IPEndPoint Sender { get; } = sender;

        public ushort Count { get; } = count;

        /// <summary>Only the parts received: a list announcing 65535 parts costs one slot per part that came.</summary>
        public Dictionary<ushort, PeerListMessage> Parts { get; } = [];

        public int Addresses { get; set; }

        public DateTimeOffset FirstSeen { get; } = firstSeen;

        /// <summary>When the latest part arrived: a list quiet for long has lost a part.</summary>
        public DateTimeOffset LastSeen { get; set; } = firstSeen;

        public long Arrival { get; } = arrival;

        /// <summary>Asked for again (<see cref="RepairQuiet"/>): its missing parts came, if at all, with a repeated answer.</summary>
        public bool Repaired { get; set; }

        public int Missing => Count - Parts.Count;

        /// <summary>A full list that names its generations (PeerList key 6), which a service node may keep and send parts of again.</summary>
        public bool FullList { get; set; }
    }
}
