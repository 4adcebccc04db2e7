using System.Collections.Immutable;
using System.Net;
using Replicator.Protocol.Control;

namespace Replicator.ServiceNode.Registry;

/// <summary>
/// Per VNI, the peer-list generation and a bounded history of its recent changes (PROTOCOL.md 5.2),
/// so a VTEP holding a recent generation gets only what changed since, and anyone else the whole list.
/// Fed with every published member set (<see cref="Record"/>, by the peer-list pusher after each batch),
/// so a generation always names exactly one published set. A VNI's first generation is random, so
/// a restarted node's or a cluster peer's generations do not match by accident. Memory: per VNI at most
/// <see cref="MaxStepsPerVni"/> steps and about as many addresses as the VNI has members, each step's
/// framing counted as 3 addresses (a longer history would cost more than the full list); a VNI without
/// members is forgotten.
/// Used only on the registry loop: not thread-safe.
/// </summary>
internal sealed class PeerListHistory(Random? random = null)
{
    /// <summary>
    /// Changes kept per VNI; a VTEP further behind gets the full list. The address bound below is what limits
    /// memory (every step holds at least one address); this one only stops a VNI of many members keeping
    /// thousands of tiny steps. 1024, not 64: in a join wave of 5,000 VTEPs a VNI's generation moves with
    /// every registry batch, and 64 steps did not reach back to the list a VTEP was completing with missing
    /// parts (PROTOCOL.md 5.2), so ~1,600 of its repairs fell back to a whole new list.
    /// </summary>
    public const int MaxStepsPerVni = 1024;

    /// <summary>Addresses kept in a VNI's steps even when it has fewer members than this.</summary>
    public const int MinAddressesPerVni = 64;

    private readonly Dictionary<uint, VniHistory> _vnis = new();
    private readonly Random _random = random ?? Random.Shared;

    public int VniCount => _vnis.Count;

    /// <summary>Addresses held in all steps (the history's memory, besides the member sets it shares with the snapshots).</summary>
    public long StepAddresses => _vnis.Values.Sum(static h => (long)h.Addresses);

    /// <summary>The VNI's member set as just published: a new generation when it differs from the last.</summary>
    public void Record(uint vni, ImmutableArray<IPAddress> members)
    {
        if (members.IsDefaultOrEmpty)
        {
            _vnis.Remove(vni);
            return;
        }
        if (!_vnis.TryGetValue(vni, out var history))
        {
            history = new VniHistory(NonZero((uint)_random.NextInt64(1, uint.MaxValue)));
            _vnis.Add(vni, history);
        }
        var before = new HashSet<IPAddress>(history.Members);
        var added = new List<IPAddress>();
        foreach (var address in members)
        {
            if (!before.Remove(address)) added.Add(address);
        }
        history.Members = members;
        if (added.Count == 0 && before.Count == 0) return;
        var step = new MembershipStep(history.Generation, Next(history.Generation), [.. added], [.. before]);
        history.Append(step, Math.Max(MinAddressesPerVni, members.Length));
    }

    /// <summary>The VNI's current generation and members; false when it has none.</summary>
    public bool TryGetCurrent(uint vni, out uint generation, out ImmutableArray<IPAddress> members)
    {
        if (_vnis.TryGetValue(vni, out var history))
        {
            generation = history.Generation;
            members = history.Members;
            return true;
        }
        generation = 0;
        members = [];
        return false;
    }

    /// <summary>
    /// Adds to <paramref name="deltas"/> the steps from <paramref name="held"/> to the current generation
    /// (none when it is current). False when the history does not reach back to it: send the full list.
    /// </summary>
    public bool TryAppendDeltas(uint vni, uint held, List<PeerListDelta> deltas)
    {
        if (held == 0 || !_vnis.TryGetValue(vni, out var history)) return false;
        if (held == history.Generation) return true;
        int from = history.Steps.FindIndex(s => s.Base == held);
        if (from < 0) return false;
        for (int i = from; i < history.Steps.Count; i++)
        {
            var s = history.Steps[i];
            deltas.Add(new PeerListDelta(vni, s.Base, s.Generation, s.Added, s.Removed));
        }
        return true;
    }

    private static uint Next(uint generation) => NonZero(unchecked(generation + 1));

    private static uint NonZero(uint generation) => generation == 0 ? 1 : generation;

    private sealed class VniHistory(uint generation)
    {
        public uint Generation = generation;
        public ImmutableArray<IPAddress> Members = [];
        public readonly List<MembershipStep> Steps = [];
        private int _addresses;
        private int _cost; // in addresses, each step's framing included: what its deltas cost on the wire

        // A delta's framing (array header, VNI, two generations, two array headers: ~18 bytes) counted as
        // the addresses it is worth (an IPv4 address is 6 bytes on the wire), so that deltas from the oldest
        // step kept never cost much more than the full list, however small the steps.
        private const int StepFraming = 3;

        public int Addresses => _addresses;

        public void Append(MembershipStep step, int maxAddresses)
        {
            Steps.Add(step);
            Generation = step.Generation;
            _addresses += step.Size;
            _cost += step.Size + StepFraming;
            int drop = 0;
            // The newest step stays whatever its size: it is what the next push sends.
            while (Steps.Count - drop > 1 && (Steps.Count - drop > MaxStepsPerVni || _cost > maxAddresses))
            {
                _addresses -= Steps[drop].Size;
                _cost -= Steps[drop].Size + StepFraming;
                drop++;
            }
            if (drop > 0) Steps.RemoveRange(0, drop);
        }
    }
}
