using System.Diagnostics;
using System.Net;
using Replicator.Protocol.Control;

namespace Replicator.Benchmarks.Fleet;

/// <summary>
/// Puts a split peer list of deltas back together (PROTOCOL.md 5.2 and 6): its parts are numbered
/// like a split list's, and a delta too large for one part continues in the next under the same VNI
/// and generations, so pieces are joined again once every part is there. Bounded: a few pending
/// lists per VTEP, each dropped when it has not completed within <see cref="PendingLifetime"/>
/// (a lost part is then repaired by a resynchronising registration). One per VTEP, under its lock.
/// </summary>
internal sealed class DeltaAssembler
{
    public const int MaxPending = 4;

    public static readonly TimeSpan PendingLifetime = TimeSpan.FromSeconds(10);

    private readonly Dictionary<uint, Pending> _pending = [];

    /// <summary>The deltas of a complete list (joined pieces, in order), or null while parts are missing.</summary>
    public List<PeerListDelta>? Add(PeerListMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.Deltas is null) return null;
        if (message.PartCount <= 1) return Join(message.Deltas);
        if (message.PartIndex >= message.PartCount) return null;
        Expire();
        if (!_pending.TryGetValue(message.Generation, out var pending) || pending.Parts.Length != message.PartCount)
        {
            if (_pending.Count >= MaxPending) _pending.Remove(_pending.MinBy(p => p.Value.FirstSeen).Key);
            _pending[message.Generation] = pending = new Pending(new IReadOnlyList<PeerListDelta>?[message.PartCount], Stopwatch.GetTimestamp());
        }
        if (pending.Parts[message.PartIndex] is null) pending.Received++;
        pending.Parts[message.PartIndex] = message.Deltas;
        if (pending.Received < pending.Parts.Length) return null;
        _pending.Remove(message.Generation);
        return Join(pending.Parts.SelectMany(p => p!));
    }

    // Consecutive pieces of one delta (same VNI, base and generation) become one.
    private static List<PeerListDelta> Join(IEnumerable<PeerListDelta> pieces)
    {
        var joined = new List<PeerListDelta>();
        foreach (var piece in pieces)
        {
            if (joined.Count > 0 && joined[^1] is var last && last.Vni == piece.Vni && last.BaseGeneration == piece.BaseGeneration && last.Generation == piece.Generation)
                joined[^1] = last with { Added = [.. last.Added, .. piece.Added], Removed = [.. last.Removed, .. piece.Removed] };
            else joined.Add(piece);
        }
        return joined;
    }

    private void Expire()
    {
        foreach (var (generation, pending) in _pending)
        {
            if (Stopwatch.GetElapsedTime(pending.FirstSeen) >= PendingLifetime) _pending.Remove(generation);
        }
    }

    private sealed class Pending(IReadOnlyList<PeerListDelta>?[] parts, long firstSeen)
    {
        public IReadOnlyList<PeerListDelta>?[] Parts { get; } = parts;

        public long FirstSeen { get; } = firstSeen;

        public int Received { get; set; }
    }
}
