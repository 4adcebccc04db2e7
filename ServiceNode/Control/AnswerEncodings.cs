using Replicator.ServiceNode.Registry;

namespace Replicator.ServiceNode.Control;

/// <summary>
/// The answers encoded by what they say, so VTEPs told the same thing share one encoding and one
/// signature instead of each paying for its own. Two lifetimes:
/// <list type="bullet">
/// <item>Plain lists, deltas and the empty list live for one registry batch (<see cref="EndBatch"/>
/// forgets them): valid only while nothing is published.</item>
/// <item>Full lists that name their generations (<see cref="GetOrEncodeList"/>) say the same thing for as
/// long as those generations are current, so they are kept ACROSS batches: a VTEP that lost a part and asks
/// again at an unchanged generation gets the same parts under the same message generation, which fill in
/// what it holds instead of starting over (PROTOCOL.md 5.2, "incomplete lists"). One naming a generation
/// that has moved on is dropped (<see cref="DropStale"/>); the least recently used go first beyond
/// <see cref="MaxLists"/> lists or <see cref="MaxListBytes"/> bytes.</item>
/// </list>
/// The datagrams are shared: the sender rewrites their cookie (and signs them again) in place per receiver,
/// which is safe because the registry loop sends synchronously (sendmmsg copies them into the kernel) and
/// nothing but this cache holds them between sends. Registry loop only.
/// </summary>
internal sealed class AnswerEncodings
{
    /// <summary>Full lists kept across batches at most.</summary>
    public const int MaxLists = 1024;

    /// <summary>Bytes of full lists kept across batches at most (a list of 5,000 IPv6 members is about 90 KB).</summary>
    public const long MaxListBytes = 16L << 20;

    private readonly Dictionary<Key, IReadOnlyList<byte[]>> _encoded = new(KeyComparer.Instance);
    private readonly Dictionary<uint[], LinkedListNode<KeptList>> _lists = new(PairsComparer.Instance);
    private readonly LinkedList<KeptList> _recent = []; // most recently used first
    private long _batch;

    /// <summary>Encodings held, of both lifetimes (for tests).</summary>
    public int Count => _encoded.Count + _lists.Count;

    /// <summary>Full lists kept across batches (for tests).</summary>
    public int ListCount => _lists.Count;

    /// <summary>Bytes of the full lists kept across batches (for tests).</summary>
    public long ListBytes { get; private set; }

    /// <summary>What an answer's datagrams are: the content's numbers mean different things in each.</summary>
    public enum Shape
    {
        /// <summary>Lists without generations (content: the VNIs).</summary>
        Plain,

        /// <summary>Deltas (content: VNI and held generation pairs).</summary>
        Delta,

        /// <summary>The empty list (no content).</summary>
        Empty,
    }

    /// <summary>
    /// The encoding of <paramref name="shape"/> with content <paramref name="content"/> (VNIs and the
    /// generations that decide what is said of them), made by <paramref name="encode"/> the first time
    /// in this batch.
    /// </summary>
    public IReadOnlyList<byte[]> GetOrEncode<TState>(Shape shape, uint[] content, TState state, Func<TState, IReadOnlyList<byte[]>> encode)
    {
        var key = new Key(shape, content);
        if (!_encoded.TryGetValue(key, out var datagrams)) _encoded[key] = datagrams = encode(state);
        return datagrams;
    }

    /// <summary>
    /// The full lists of the VNI and generation pairs <paramref name="generations"/> in the form
    /// <paramref name="form"/> (what else the datagrams say besides the lists): kept from an earlier answer when there is one (passed to
    /// <paramref name="renew"/> first when made in an earlier batch: a signature's timestamp and nonce
    /// must be fresh), else made by <paramref name="encode"/> and kept.
    /// </summary>
    public IReadOnlyList<byte[]> GetOrEncodeList<TState>(uint[] generations, Form form, TState state, Func<TState, IReadOnlyList<byte[]>> encode,
        Action<IReadOnlyList<byte[]>>? renew = null)
    {
        ArgumentNullException.ThrowIfNull(generations);
        if (_lists.TryGetValue(generations, out var node))
        {
            var kept = node.Value;
            if (kept.Form == form)
            {
                if (kept.Batch != _batch)
                {
                    renew?.Invoke(kept.Datagrams);
                    kept.Batch = _batch;
                }
                _recent.Remove(node);
                _recent.AddFirst(node);
                return kept.Datagrams;
            }
            Remove(node); // the hold time, authentication or return routability was reloaded: not what is said now
        }
        var datagrams = encode(state);
        long bytes = 0;
        foreach (var d in datagrams) bytes += d.Length;
        if (bytes > MaxListBytes) return datagrams; // would push out everything else: not kept
        _lists.Add(generations, _recent.AddFirst(new KeptList(generations, form, datagrams, bytes, _batch)));
        ListBytes += bytes;
        while (_lists.Count > MaxLists || ListBytes > MaxListBytes) Remove(_recent.Last!);
        return datagrams;
    }

    /// <summary>
    /// Drops the kept full lists that name a VNI whose generation is no longer the current one in
    /// <paramref name="history"/> (a later answer at its new generation is a new message); returns how many.
    /// </summary>
    public int DropStale(PeerListHistory history)
    {
        ArgumentNullException.ThrowIfNull(history);
        int dropped = 0;
        for (var node = _recent.First; node is not null;)
        {
            var next = node.Next;
            if (!IsCurrent(node.Value.Generations, history))
            {
                Remove(node);
                dropped++;
            }
            node = next;
        }
        return dropped;
    }

    /// <summary>A registry batch ended: its plain lists, deltas and empty lists are forgotten.</summary>
    public void EndBatch()
    {
        _encoded.Clear();
        _batch++;
    }

    private static bool IsCurrent(uint[] pairs, PeerListHistory history)
    {
        for (int i = 0; i + 1 < pairs.Length; i += 2)
        {
            if (!history.TryGetCurrent(pairs[i], out uint generation, out _) || generation != pairs[i + 1]) return false;
        }
        return true;
    }

    private void Remove(LinkedListNode<KeptList> node)
    {
        _recent.Remove(node);
        _lists.Remove(node.Value.Generations);
        ListBytes -= node.Value.Bytes;
    }

    /// <summary>
    /// What a full list's datagrams say besides the lists: its hold time, whether they have room for a
    /// signature and for a cookie. A kept list is reused only in the form asked for.
    /// </summary>
    public readonly record struct Form(uint HoldTimeSeconds, bool Signed, bool CookieRoom);

    private sealed class KeptList(uint[] generations, Form form, IReadOnlyList<byte[]> datagrams, long bytes, long batch)
    {
        public uint[] Generations { get; } = generations;

        public Form Form { get; } = form;

        public IReadOnlyList<byte[]> Datagrams { get; } = datagrams;

        public long Bytes { get; } = bytes;

        /// <summary>The batch it was last signed for.</summary>
        public long Batch { get; set; } = batch;
    }

    private readonly record struct Key(Shape Kind, uint[] Content);

    private sealed class KeyComparer : IEqualityComparer<Key>
    {
        public static readonly KeyComparer Instance = new();

        public bool Equals(Key x, Key y) => x.Kind == y.Kind && x.Content.AsSpan().SequenceEqual(y.Content);

        public int GetHashCode(Key key)
        {
            var hash = new HashCode();
            hash.Add(key.Kind);
            hash.AddBytes(System.Runtime.InteropServices.MemoryMarshal.AsBytes(key.Content.AsSpan()));
            return hash.ToHashCode();
        }
    }

    private sealed class PairsComparer : IEqualityComparer<uint[]>
    {
        public static readonly PairsComparer Instance = new();

        public bool Equals(uint[]? x, uint[]? y) => x.AsSpan().SequenceEqual(y);

        public int GetHashCode(uint[] pairs)
        {
            var hash = new HashCode();
            hash.AddBytes(System.Runtime.InteropServices.MemoryMarshal.AsBytes(pairs.AsSpan()));
            return hash.ToHashCode();
        }
    }
}
