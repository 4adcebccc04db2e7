using System.Net;
using System.Net.Sockets;
using Replicator.Protocol.Control;
using Replicator.RegistrationDaemon.Registration;

namespace Replicator.Benchmarks.Fleet;

/// <summary>
/// One simulated VTEP: its address, UDP socket and VNIs, and what vxrd would hold. Split lists are
/// put back together by vxrd's own <see cref="PeerListAssembler"/>, so a list with a lost part
/// completes (or expires) exactly as in vxrd. Members are kept in a hash set per VNI rather than in
/// vxrd's PeerBook, whose sorted immutable set is rebuilt on every change: O(n log n) per delta for
/// thousands of VTEPs would cost more CPU than this machine has. Deltas (PROTOCOL.md 5.2), put back
/// together by <see cref="DeltaAssembler"/> when split, apply when
/// their base is the held generation; a list whose VNI does not end at the held generation asks for a
/// resynchronisation, as vxrd does (so does vxsnd's statement of a quiet VNI's current generation,
/// a delta ending there, when the VTEP holds another).
/// <see cref="Mark"/> tells the <see cref="ConvergenceTracker"/> whether each VNI's set equals the
/// target. The receive callback and the phase controller change state under the instance's lock.
/// </summary>
internal sealed class SimulatedVtep
{
    // Message generations whose parts told us VNI generations (PeerList key 6), until the list completes.
    private const int MaxPendingGenerations = 8;

    private readonly PeerListAssembler _assembler = new();
    private readonly DeltaAssembler _deltas = new();
    private readonly HashSet<IPAddress>[] _members;
    private readonly uint[] _held;
    private readonly bool[] _holds;
    private readonly Dictionary<uint, Dictionary<uint, uint>> _partGenerations = [];

    public SimulatedVtep(int index, uint[] vnis, Socket socket)
    {
        Index = index;
        Address = FleetSettings.VtepAddress(index);
        NodeId = FleetSettings.NodeId(index);
        Vnis = vnis;
        Socket = socket;
        _members = [.. vnis.Select(_ => new HashSet<IPAddress>())];
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

    /// <summary>Stopwatch timestamps of the last registration that wanted an answer and of the last peer list received (vxrd's retry rule).</summary>
    public long LastSend;
    public long LastContact;

    /// <summary>vxrd's retry of an unanswered registration: after 1, 2, 4 ... s, capped at the refresh interval.</summary>
    public TimeSpan RetryDelay = TimeSpan.FromSeconds(1);
    public bool RetryPending;

    public bool AwaitingAnswer => Interlocked.Read(ref LastContact) < Interlocked.Read(ref LastSend);

    public long Datagrams;
    public long Bytes;
    public long CompleteLists;
    public long DeltasApplied;
    /// <summary>Lists of deltas after which a VNI was not at the list's last generation (a lost delta or part): each asks for a resynchronisation.</summary>
    public long DeltasOutOfStep;

    /// <summary>The generation held of each VNI (Register key 6; 0 = none).</summary>
    public IReadOnlyList<VniGeneration> HeldGenerations()
    {
        lock (this) return [.. Vnis.Select((v, k) => new VniGeneration(v, _held[k]))];
    }

    /// <summary>
    /// Applies one received peer-list datagram: its deltas, then (through vxrd's assembler) its part of
    /// a full list. True when a delta did not start from the held generation: the VTEP must register again.
    /// </summary>
    public bool Receive(IPEndPoint sender, PeerListMessage message, FleetMembership target, ConvergenceTracker tracker)
    {
        lock (this)
        {
            bool outOfStep = false;
            if (message.Deltas is not null)
            {
                // A list of deltas carries no members (key 1 empty): it never goes to the full-list assembler.
                if (_deltas.Add(message) is { } deltas && Joined)
                {
                    foreach (var delta in deltas) Apply(delta, target, tracker);
                    // Out of step only when a VNI did not reach the list's last generation: deltas
                    // older than the one held are expected (a chain, or a push crossing an answer).
                    var last = new Dictionary<uint, uint>();
                    foreach (var delta in deltas) last[delta.Vni] = delta.Generation;
                    foreach (var (vni, generation) in last)
                    {
                        int k = Array.BinarySearch(Vnis, vni);
                        if (k < 0 || _held[k] == generation) continue;
                        DeltasOutOfStep++;
                        outOfStep = true;
                    }
                }
                return outOfStep;
            }
            if (message.Generations is { Count: > 0 } generations && message.PartCount > 1) KeepPartGenerations(message.Generation, generations);
            if (_assembler.Add(sender, message) is not { Members.Count: > 0 } update) return outOfStep;
            CompleteLists++;
            var listGenerations = message.PartCount > 1
                ? _partGenerations.Remove(update.Generation, out var kept) ? kept : null
                : message.Generations?.ToDictionary(g => g.Vni, g => g.Generation);
            if (!Joined) return outOfStep;
            foreach (var (vni, members) in update.Members)
            {
                int k = Array.BinarySearch(Vnis, vni);
                if (k < 0) continue;
                _members[k].Clear();
                _members[k].UnionWith(members);
                _held[k] = listGenerations is not null && listGenerations.TryGetValue(vni, out uint g) ? g : 0;
                Mark(k, target.Holds(vni, _members[k]), tracker);
            }
            return outOfStep;
        }
    }

    // A delta applies only on the generation it starts from; any other (a repeat, an older one, a gap) changes nothing.
    private void Apply(PeerListDelta delta, FleetMembership target, ConvergenceTracker tracker)
    {
        int k = Array.BinarySearch(Vnis, delta.Vni);
        if (k < 0 || _held[k] == 0 || _held[k] != delta.BaseGeneration) return;
        foreach (var a in delta.Removed) _members[k].Remove(a);
        foreach (var a in delta.Added) _members[k].Add(a);
        _held[k] = delta.Generation;
        DeltasApplied++;
        Mark(k, target.Holds(delta.Vni, _members[k]), tracker);
    }

    private void KeepPartGenerations(uint messageGeneration, IReadOnlyList<VniGeneration> generations)
    {
        if (!_partGenerations.TryGetValue(messageGeneration, out var map))
        {
            if (_partGenerations.Count >= MaxPendingGenerations) _partGenerations.Clear(); // lists that never completed
            _partGenerations[messageGeneration] = map = [];
        }
        foreach (var g in generations) map[g.Vni] = g.Generation;
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
                Mark(k, false, tracker);
            }
        }
    }

    /// <summary>Every VNI counts as incomplete until a complete list (or delta) arrives after this call (the restart: what was held before proves nothing).</summary>
    public void Unmark(ConvergenceTracker tracker)
    {
        lock (this)
        {
            for (int k = 0; k < Vnis.Length; k++) Mark(k, false, tracker);
        }
    }

    private void Mark(int k, bool holds, ConvergenceTracker tracker)
    {
        if (_holds[k] == holds) return;
        _holds[k] = holds;
        if (holds) tracker.BecameComplete();
        else tracker.BecameIncomplete();
    }
}
