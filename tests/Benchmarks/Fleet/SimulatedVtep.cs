using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Replicator.Protocol.Control;
using Replicator.RegistrationDaemon.Registration;

namespace Replicator.Benchmarks.Fleet;

/// <summary>
/// One simulated VTEP: its address, UDP socket and VNIs, and what vxrd would hold, by vxrd's rules.
/// Every datagram goes through vxrd's own <see cref="PeerListAssembler"/>, which puts split full lists
/// and split deltas back together; as in vxrd (<c>DaemonCore.OnPeerList</c>), every part counts as the
/// service node having answered (its list is on the way, so the retry for silence neither fires nor
/// doubles), and a split list with no new part for <see cref="PeerListAssembler.QuietLimit"/> makes the
/// VTEP register again, keeping the parts it holds and naming them (<see cref="NewestIncomplete"/>, Register
/// key 7, on every registration but a join, as vxrd), so the answer brings the missing ones, and is
/// looked at again only after another quiet period (<see cref="RepairQuiet"/>, driven by the fleet's
/// scheduler as vxrd's timer drives it). Members are kept in a bit set per VNI (<see cref="FleetMemberSet"/>) rather than in
/// vxrd's PeerBook, whose sorted immutable set is rebuilt on every change: O(n log n) per delta for thousands of VTEPs would
/// cost more CPU than this machine has, and sets of decoded addresses kept millions of objects alive for the GC. Deltas (PROTOCOL.md 5.2) apply when their base is the held generation; a
/// VNI that does not end at its deltas' last generation asks for a resynchronisation, as vxrd does.
/// <see cref="Mark"/> tells the <see cref="ConvergenceTracker"/> whether each VNI's set equals the
/// target, at the arrival time of the datagram that made it so. The receive thread and the scheduler
/// change state under the instance's lock.
/// </summary>
internal sealed class SimulatedVtep
{
    private readonly PeerListAssembler _assembler = new();
    private readonly FleetMemberSet[] _members;
    private readonly uint[] _held;
    private readonly bool[] _holds;

    public SimulatedVtep(int index, uint[] vnis, Socket socket)
    {
        Index = index;
        Address = FleetSettings.VtepAddress(index);
        NodeId = FleetSettings.NodeId(index);
        Vnis = vnis;
        Socket = socket;
        _members = [.. vnis.Select(_ => new FleetMemberSet())];
        _held = new uint[vnis.Length];
        _holds = new bool[vnis.Length];
        Registration = [.. vnis.Select(v => new VniAddresses(v, [Address]))];
    }

    public int Index { get; }

    public IPAddress Address { get; }

    public string NodeId { get; }

    public uint[] Vnis { get; }

    public Socket Socket { get; }

    /// <summary>The VNI map of this VTEP's registrations.</summary>
    public IReadOnlyList<VniAddresses> Registration { get; }

    /// <summary>Joined (registered and not withdrawn); a VTEP that left ignores lists, as vxrd forgets a VNI it no longer serves.</summary>
    public bool Joined { get; set; }

    /// <summary>Bumped at every join and leave: a refresh scheduled before is stale.</summary>
    public int Epoch { get; set; }

    /// <summary>Stopwatch timestamps of the last registration that wanted an answer and of the arrival of the last complete update (vxrd's retry rule).</summary>
    public long LastSend;
    public long LastContact;

    /// <summary>vxrd's retry of an unanswered registration: after 1, 2, 4 ... s, capped at the refresh interval.</summary>
    public TimeSpan RetryDelay = TimeSpan.FromSeconds(1);
    public bool RetryPending;

    /// <summary>Arrival (Stopwatch timestamp) of the latest part of a split list still incomplete; 0: none pending.</summary>
    public long LastPartAt;

    /// <summary>A check for a quiet incomplete list is scheduled.</summary>
    public bool QuietCheckPending;

    public bool AwaitingAnswer => Interlocked.Read(ref LastContact) < Interlocked.Read(ref LastSend);

    public long Datagrams;
    public long Bytes;
    /// <summary>Complete updates (a whole full list, a whole message of deltas, an answer with nothing to change).</summary>
    public long CompleteLists;
    public long DeltasApplied;
    /// <summary>Repairs of split lists with no new part for <see cref="PeerListAssembler.QuietLimit"/> (a part was lost; parts kept).</summary>
    public long IncompleteListsRepaired;
    /// <summary>VNIs that did not end at their deltas' last generation (a lost delta or part): each asks for a resynchronisation.</summary>
    public long DeltasOutOfStep;

    /// <summary>
    /// vxrd's Register key 7: the newest split list held in part, with the parts held, so the answer brings only
    /// the missing ones and the deltas since (PROTOCOL.md 5.2); null when none is held.
    /// </summary>
    public IncompleteList? NewestIncomplete()
    {
        lock (this) return _assembler.NewestIncomplete();
    }

    /// <summary>The generation held of each VNI (Register key 6; 0 = none).</summary>
    public IReadOnlyList<VniGeneration> HeldGenerations()
    {
        lock (this) return [.. Vnis.Select((v, k) => new VniGeneration(v, _held[k]))];
    }

    /// <summary>
    /// Takes one received peer-list datagram, which arrived at <paramref name="arrivedAt"/> (Stopwatch
    /// timestamp): contact, and once it completes an update its full lists, then its deltas, as vxrd's
    /// DaemonCore. Says whether the VTEP must register again (a VNI did not end at its deltas' last
    /// generation) or a split list is still waiting for parts (check it for quiet).
    /// </summary>
    public ReceiveOutcome Receive(IPEndPoint sender, PeerListMessage message, long arrivedAt, FleetMembership target, ConvergenceTracker tracker)
    {
        lock (this)
        {
            var update = _assembler.Add(sender, message);
            if (update is null)
            {
                if (message.PartCount <= 1 || _assembler.PendingLists == 0) return ReceiveOutcome.None;
                Interlocked.Exchange(ref LastContact, arrivedAt);
                LastPartAt = arrivedAt;
                return ReceiveOutcome.PartPending;
            }
            CompleteLists++;
            Interlocked.Exchange(ref LastContact, arrivedAt);
            if (_assembler.PendingLists == 0) LastPartAt = 0;
            if (!Joined) return ReceiveOutcome.None; // vxrd forgets the VNIs it no longer serves
            foreach (var (vni, members) in update.Members)
            {
                int k = Array.BinarySearch(Vnis, vni);
                if (k < 0) continue;
                _members[k].Clear();
                foreach (var a in members) _members[k].Add(a);
                _held[k] = update.Generations?.GetValueOrDefault(vni) ?? 0;
                Mark(k, target.Holds(vni, _members[k]), tracker, arrivedAt);
            }
            return update.Deltas is { } deltas && ApplyDeltas(deltas, target, tracker, arrivedAt) ? ReceiveOutcome.Resync : ReceiveOutcome.None;
        }
    }

    /// <summary>
    /// vxrd's <c>RepairIncomplete</c>: finds the split lists with no new part (or repair) for
    /// <see cref="PeerListAssembler.QuietLimit"/>, keeping their parts. Returns how many were quiet (each
    /// asks for a resynchronisation) and when to look again (Stopwatch timestamp; 0: nothing pending).
    /// </summary>
    public (int Quiet, long NextCheck) RepairQuiet()
    {
        lock (this)
        {
            int quiet = _assembler.RepairQuiet(PeerListAssembler.QuietLimit);
            LastPartAt = _assembler.PendingLists > 0 ? Stopwatch.GetTimestamp() : 0;
            if (quiet > 0) IncompleteListsRepaired += quiet;
            return (quiet, LastPartAt == 0 ? 0 : LastPartAt + QuietLimitTicks);
        }
    }

    /// <summary><see cref="PeerListAssembler.QuietLimit"/> in Stopwatch ticks.</summary>
    public static long QuietLimitTicks => (long)(PeerListAssembler.QuietLimit.TotalSeconds * Stopwatch.Frequency);

    // DaemonCore.ApplyDeltas: per VNI in order, a delta from the held generation applies, a repeat of
    // the held one is ignored, anything else is out of step; a VNI not ending at its last delta's
    // generation (one was lost, or none was held) wants a resynchronisation.
    private bool ApplyDeltas(IReadOnlyList<PeerListDelta> deltas, FleetMembership target, ConvergenceTracker tracker, long arrivedAt)
    {
        bool resync = false;
        foreach (var group in deltas.GroupBy(d => d.Vni))
        {
            int k = Array.BinarySearch(Vnis, group.Key);
            if (k < 0) continue;
            uint last = 0;
            foreach (var delta in group)
            {
                last = delta.Generation;
                if (_held[k] == 0 || _held[k] != delta.BaseGeneration) continue;
                foreach (var a in delta.Removed) _members[k].Remove(a);
                foreach (var a in delta.Added) _members[k].Add(a);
                _held[k] = delta.Generation;
                DeltasApplied++;
                Mark(k, target.Holds(group.Key, _members[k]), tracker, arrivedAt);
            }
            if (_held[k] != last)
            {
                DeltasOutOfStep++;
                resync = true;
            }
        }
        return resync;
    }

    /// <summary>Summed over this VTEP's VNIs: target addresses missing from its lists and addresses there that the target lacks; how many VNIs hold a generation.</summary>
    public (int Missing, int Extra, int WithGeneration) Gap(FleetMembership target)
    {
        lock (this)
        {
            int missing = 0, extra = 0, generations = 0;
            for (int k = 0; k < Vnis.Length; k++)
            {
                var (m, e) = target.Gap(Vnis[k], _members[k]);
                missing += m;
                extra += e;
                if (_held[k] != 0) generations++;
            }
            return (missing, extra, generations);
        }
    }

    /// <summary>Withdrawn: the VNIs are forgotten, so the next join must learn them again.</summary>
    public void Leave(ConvergenceTracker tracker)
    {
        lock (this)
        {
            Joined = false;
            Epoch++;
            for (int k = 0; k < Vnis.Length; k++)
            {
                _members[k].Clear();
                _held[k] = 0;
                Mark(k, false, tracker, 0);
            }
        }
    }

    /// <summary>Every VNI counts as incomplete until a complete list (or delta) arrives after this call (the restart: what was held before proves nothing).</summary>
    public void Unmark(ConvergenceTracker tracker)
    {
        lock (this)
        {
            for (int k = 0; k < Vnis.Length; k++) Mark(k, false, tracker, 0);
        }
    }

    private void Mark(int k, bool holds, ConvergenceTracker tracker, long at)
    {
        if (_holds[k] == holds) return;
        _holds[k] = holds;
        if (holds) tracker.BecameComplete(at);
        else tracker.BecameIncomplete();
    }
}

/// <summary>What one received datagram asks of the fleet's scheduler.</summary>
internal enum ReceiveOutcome
{
    None,

    /// <summary>A VNI did not end at its deltas' last generation: register again (rate-limited).</summary>
    Resync,

    /// <summary>A split list waits for parts: give it up if it goes quiet.</summary>
    PartPending,
}
