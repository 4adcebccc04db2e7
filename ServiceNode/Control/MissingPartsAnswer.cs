using System.Net.Sockets;
using Replicator.Protocol.Control;
using Replicator.ServiceNode.Registry;

namespace Replicator.ServiceNode.Control;

/// <summary>
/// Decides whether a Register naming an incomplete list (key 7) is answered with the parts it lacks
/// (PROTOCOL.md 5.2, "missing parts only"), and what goes with them: the kept message's missing datagrams,
/// then for each VNI of the message whose generation has moved on, the deltas from the message's generation.
/// Used only where the ordinary answer would be the whole current list of every VNI the message names, and
/// only when the missing parts and the deltas are fewer bytes than that list, so the answer never grows.
/// Registry loop only.
/// </summary>
internal static class MissingPartsAnswer
{
    /// <summary>The answer decided on: the datagrams to send again and the VNIs of the message (their deltas are added to the caller's).</summary>
    public readonly record struct Plan(List<byte[]> Parts, HashSet<uint> Vnis);

    /// <summary>
    /// Plans the answer to <paramref name="incomplete"/> from the kept <paramref name="message"/>; the deltas
    /// from the message's generations go to <paramref name="deltas"/> (and their VNI and base pairs to
    /// <paramref name="deltasFrom"/>) only when the outcome is <see cref="IncompleteListOutcome.Served"/>.
    /// </summary>
    /// <param name="scope">The VNIs this registration may be answered with.</param>
    /// <param name="held">What the VTEP holds of each VNI (Register key 6).</param>
    public static IncompleteListOutcome TryPlan(IncompleteList incomplete, AnswerEncodings.KeptMessage message, IReadOnlyList<uint> scope,
        IReadOnlyDictionary<uint, uint> held, PeerListHistory history, List<PeerListDelta> deltas, List<uint> deltasFrom, out Plan plan)
    {
        plan = default;
        if (message.Datagrams.Count != incomplete.PartCount || incomplete.Missing == 0) return IncompleteListOutcome.Invalid;
        uint[] pairs = message.Generations;
        // Sets, not scans: a registration for every VNI (thousands) naming a kept list of thousands would be quadratic.
        var inScope = new HashSet<uint>(scope);
        for (int i = 0; i + 1 < pairs.Length; i += 2)
        {
            if (!inScope.Contains(pairs[i])) return IncompleteListOutcome.Invalid; // a list is sent whole or not at all
        }
        var listDeltas = new List<PeerListDelta>();
        var listFrom = new List<uint>();
        var probe = new List<PeerListDelta>();
        var vnis = new HashSet<uint>(pairs.Length / 2);
        for (int i = 0; i + 1 < pairs.Length; i += 2)
        {
            uint vni = pairs[i], listGeneration = pairs[i + 1];
            if (!history.TryGetCurrent(vni, out uint current, out _)) return IncompleteListOutcome.Larger;
            uint holds = held.GetValueOrDefault(vni);
            probe.Clear();
            // The ordinary answer says nothing of it, or sends the deltas from what the VTEP holds: smaller.
            if (holds == current || history.TryAppendDeltas(vni, holds, probe)) return IncompleteListOutcome.Larger;
            if (listGeneration != current)
            {
                int before = listDeltas.Count;
                if (!history.TryAppendDeltas(vni, listGeneration, listDeltas)) return IncompleteListOutcome.Larger;
                if (listDeltas.Count > before) listFrom.AddRange([vni, listGeneration]);
            }
            vnis.Add(vni);
        }
        var parts = new List<byte[]>(incomplete.Missing);
        long partBytes = 0;
        for (int i = 0; i < message.Datagrams.Count; i++)
        {
            if (incomplete.IsHeld(i)) continue;
            parts.Add(message.Datagrams[i]);
            partBytes += message.Datagrams[i].Length;
        }
        // The ordinary answer is the current lists: about the message's bytes with the added addresses and without the removed ones.
        long added = 0, removed = 0, deltaBytes = 0;
        foreach (var d in listDeltas)
        {
            foreach (var a in d.Added) added += AddressBytes(a);
            foreach (var r in d.Removed) removed += AddressBytes(r);
            deltaBytes += DeltaOverhead;
        }
        deltaBytes += added + removed;
        // Each datagram of deltas also carries its envelope (header, the other fields, cookie, signature).
        if (listDeltas.Count > 0) deltaBytes += DeltaDatagramEnvelope * (1 + deltaBytes / (ControlLimits.DefaultMaxDatagramBytes - DeltaDatagramEnvelope));
        if (partBytes + deltaBytes >= message.Bytes + added - removed) return IncompleteListOutcome.Larger;
        deltas.AddRange(listDeltas);
        deltasFrom.AddRange(listFrom);
        plan = new Plan(parts, vnis);
        return IncompleteListOutcome.Served;
    }

    // A delta's array header, VNI and two generations at their widest (the estimate errs towards the ordinary answer).
    private const int DeltaOverhead = 1 + 5 + 5 + 5 + 2 * 3;

    // A datagram of deltas besides them, at its widest: the header, the map with hold time, empty VNI map,
    // message generation, part index and count, the deltas' array header, instance and cookie, and the signature.
    private const int DeltaDatagramEnvelope = ControlHeader.Size + 64 + ControlAuthenticator.TrailerSize;

    // A bin8 header and the address.
    private static int AddressBytes(System.Net.IPAddress address) => address.AddressFamily == AddressFamily.InterNetwork ? 6 : 18;
}
