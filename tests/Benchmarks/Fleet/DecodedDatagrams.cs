using Replicator.Protocol.Control;

namespace Replicator.Benchmarks.Fleet;

/// <summary>
/// The peer lists the receive thread has verified and decoded, by their exact bytes. vxsnd encodes and signs a
/// push or a shared answer once and sends the same bytes to every member (with authentication there is no
/// per-receiver cookie), so thousands of simulated VTEPs receive identical datagrams; each real VTEP would
/// verify and decode its copy on its own CPU, but one simulator doing it thousands of times over fell seconds
/// behind the arrivals in a 5,000-VTEP join wave. A datagram seen before gets the same immutable message (the
/// MAC is a function of the bytes, so is the verdict); what each VTEP does with it is unchanged. Bounded:
/// forgotten whole at <see cref="MaxEntries"/>. Receive thread only.
/// </summary>
internal sealed class DecodedDatagrams
{
    public const int MaxEntries = 8192;

    private readonly Dictionary<int, (byte[] Bytes, PeerListMessage Message)> _entries = [];

    /// <summary>Datagrams found already decoded, and decoded here.</summary>
    public (long Hits, long Misses) Counts => (_hits, _misses);

    private long _hits, _misses;

    /// <summary>The message <paramref name="datagram"/> decodes to, from an earlier identical datagram or from <paramref name="decode"/> (null: refused, not kept).</summary>
    public PeerListMessage? GetOrDecode(ReadOnlySpan<byte> datagram, Func<byte[], PeerListMessage?> decode)
    {
        var hash = new HashCode();
        hash.AddBytes(datagram);
        int key = hash.ToHashCode();
        if (_entries.TryGetValue(key, out var entry) && datagram.SequenceEqual(entry.Bytes))
        {
            _hits++;
            return entry.Message;
        }
        _misses++;
        byte[] bytes = datagram.ToArray();
        var message = decode(bytes);
        if (message is null) return null;
        if (_entries.Count >= MaxEntries) _entries.Clear();
        _entries[key] = (bytes, message);
        return message;
    }
}
