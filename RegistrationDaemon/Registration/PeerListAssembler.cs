using System.Net;
using Replicator.Protocol.Control;

namespace Replicator.RegistrationDaemon.Registration;

/// <summary>
/// Puts split peer lists back together: parts of one generation (same sender) are held until all
/// have arrived, then merged (a VNI's members may span parts), so the daemon only ever sees
/// complete member sets and never removes a peer because its part is still on the way. A
/// generation that never completes is dropped once newer ones pile up; the next refresh brings a
/// fresh one.
/// </summary>
public sealed class PeerListAssembler
{
    private const int MaxPendingGenerations = 4;

    private readonly Dictionary<(IPEndPoint Sender, uint Generation), Pending> _pending = [];
    private long _arrivals;

    /// <summary>Adds one datagram's message; returns the complete update when this part completed one.</summary>
    public PeerListUpdate? Add(IPEndPoint sender, PeerListMessage message)
    {
        if (message.PartCount <= 1) return ToUpdate(sender, message.HoldTimeSeconds, message.Vnis, message.Generation);
        if (message.PartIndex >= message.PartCount) return null;
        var key = (sender, message.Generation);
        if (!_pending.TryGetValue(key, out var pending))
        {
            if (_pending.Count >= MaxPendingGenerations)
            {
                var oldest = _pending.MinBy(kv => kv.Value.Arrival).Key;
                _pending.Remove(oldest);
            }
            _pending[key] = pending = new Pending(message.PartCount, ++_arrivals);
        }
        if (pending.Parts.Length != message.PartCount) return null;
        pending.Parts[message.PartIndex] = message;
        if (pending.Parts.Any(p => p is null)) return null;
        _pending.Remove(key);
        return ToUpdate(sender, message.HoldTimeSeconds, pending.Parts.SelectMany(p => p!.Vnis), message.Generation);
    }

    private static PeerListUpdate ToUpdate(IPEndPoint sender, uint holdTimeSeconds, IEnumerable<VniAddresses> vnis, uint generation)
    {
        var members = new Dictionary<uint, List<IPAddress>>();
        foreach (var v in vnis)
        {
            if (!members.TryGetValue(v.Vni, out var list)) members[v.Vni] = list = [];
            list.AddRange(v.Addresses);
        }
        return new PeerListUpdate(sender, TimeSpan.FromSeconds(holdTimeSeconds),
            members.ToDictionary(kv => kv.Key, kv => (IReadOnlyList<IPAddress>)kv.Value), generation);
    }

    private sealed class Pending(int count, long arrival)
    {
        public PeerListMessage?[] Parts { get; } = new PeerListMessage?[count];

        public long Arrival { get; } = arrival;
    }
}
