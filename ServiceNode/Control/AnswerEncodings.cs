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
/// that has moved on is retired (<see cref="DropStale"/>): no answer at the new generations reuses it, but
/// it stays addressable by its message generation (<see cref="TryGetMessage"/>) for <see cref="StaleLifetime"/>,
/// so a VTEP naming it in Register key 7 gets just the parts it lacks ("missing parts only"). The least
/// recently used go first beyond <see cref="MaxLists"/> lists or <see cref="MaxListBytes"/> bytes, current
/// and retired together.</item>
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

    /// <summary>
    /// How long a retired full list stays addressable by its message generation: the reference vxrd gives an
    /// incomplete list up 10 s after its first part (<c>PeerListAssembler.PendingLifetime</c>), which is no
    /// earlier than the list was retired, so keeping it longer would serve nobody.
    /// </summary>
    public static readonly TimeSpan StaleLifetime = TimeSpan.FromSeconds(10);

    private readonly Dictionary<Key, IReadOnlyList<byte[]>> _encoded = new(KeyComparer.Instance);
    private readonly Dictionary<uint[], LinkedListNode<KeptList>> _lists = new(PairsComparer.Instance); // current lists only
    private readonly Dictionary<uint, LinkedListNode<KeptList>> _messages = []; // current and retired, by message generation
    private readonly LinkedList<KeptList> _recent = []; // most recently used first
    private readonly TimeProvider _time;
    private long _batch;

    /// <param name="time">When retired lists expire; null: the system clock.</param>
    public AnswerEncodings(TimeProvider? time = null) => _time = time ?? TimeProvider.System;

    /// <summary>Encodings held, of both lifetimes (for tests).</summary>
    public int Count => _encoded.Count + _recent.Count;

    /// <summary>Full lists kept across batches, current and retired (for tests).</summary>
    public int ListCount => _recent.Count;

    /// <summary>Retired full lists still addressable by their message generation (for tests).</summary>
    public int StaleCount => _recent.Count - _lists.Count;

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
    /// <param name="messageGeneration">The message generation <paramref name="encode"/> gave the list, read right after it; null: not addressable by it.</param>
    public IReadOnlyList<byte[]> GetOrEncodeList<TState>(uint[] generations, Form form, TState state, Func<TState, IReadOnlyList<byte[]>> encode,
        Action<IReadOnlyList<byte[]>>? renew = null, Func<TState, uint>? messageGeneration = null)
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
        uint message = messageGeneration?.Invoke(state) ?? 0;
        long bytes = 0;
        foreach (var d in datagrams) bytes += d.Length;
        if (bytes > MaxListBytes) return datagrams; // would push out everything else: not kept
        var added = _recent.AddFirst(new KeptList(generations, form, datagrams, bytes, _batch, message));
        _lists.Add(generations, added);
        if (message != 0)
        {
            // A message generation names one message; after 2^32 encodings the old one goes.
            if (_messages.TryGetValue(message, out var previous)) Remove(previous);
            _messages[message] = added;
        }
        ListBytes += bytes;
        while (_recent.Count > MaxLists || ListBytes > MaxListBytes) Remove(_recent.Last!);
        return datagrams;
    }

    /// <summary>
    /// The kept full list (current or retired) sent as message <paramref name="messageGeneration"/> in the form
    /// <paramref name="form"/>, to send some of its parts again (passed to <paramref name="renew"/> first when
    /// last signed in an earlier batch); false when it is not kept (never, expired, pushed out, or the form
    /// was reloaded since).
    /// </summary>
    public bool TryGetMessage(uint messageGeneration, Form form, Action<IReadOnlyList<byte[]>>? renew, out KeptMessage message)
    {
        message = default;
        if (messageGeneration == 0 || !_messages.TryGetValue(messageGeneration, out var node) || node.Value.Form != form) return false;
        var kept = node.Value;
        if (kept.StaleSince is { } since && _time.GetElapsedTime(since) >= StaleLifetime)
        {
            Remove(node);
            return false;
        }
        if (kept.Batch != _batch)
        {
            renew?.Invoke(kept.Datagrams);
            kept.Batch = _batch;
        }
        _recent.Remove(node);
        _recent.AddFirst(node);
        message = new KeptMessage(kept.Datagrams, kept.Generations, kept.Bytes);
        return true;
    }

    /// <summary>
    /// Retires the kept full lists that name a VNI whose generation is no longer the current one in
    /// <paramref name="history"/> (a later answer at its new generation is a new message), keeping them
    /// addressable by message generation for <see cref="StaleLifetime"/>, and drops the retired ones older
    /// than that; returns how many were retired now.
    /// </summary>
    public int DropStale(PeerListHistory history)
    {
        ArgumentNullException.ThrowIfNull(history);
        int retired = 0;
        long now = _time.GetTimestamp();
        for (var node = _recent.First; node is not null;)
        {
            var next = node.Next;
            var kept = node.Value;
            if (kept.StaleSince is { } since)
            {
                if (_time.GetElapsedTime(since, now) >= StaleLifetime) Remove(node);
            }
            else if (!IsCurrent(kept.Generations, history))
            {
                if (kept.MessageGeneration == 0) Remove(node); // nobody can name it: nothing to keep it for
                else
                {
                    kept.StaleSince = now;
                    _lists.Remove(kept.Generations);
                }
                retired++;
            }
            node = next;
        }
        return retired;
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
        var kept = node.Value;
        _recent.Remove(node);
        // Only this node's entries: a retired list's generations may be current again in another list (after 2^32 changes).
        if (_lists.TryGetValue(kept.Generations, out var byPairs) && byPairs == node) _lists.Remove(kept.Generations);
        if (kept.MessageGeneration != 0 && _messages.TryGetValue(kept.MessageGeneration, out var byMessage) && byMessage == node) _messages.Remove(kept.MessageGeneration);
        ListBytes -= kept.Bytes;
    }

    /// <summary>
    /// What a full list's datagrams say besides the lists: its hold time, whether they have room for a
    /// signature and for a cookie. A kept list is reused only in the form asked for.
    /// </summary>
    public readonly record struct Form(uint HoldTimeSeconds, bool Signed, bool CookieRoom);

    /// <summary>A kept list's datagrams (its parts, in order), its VNI and generation pairs and its bytes.</summary>
    public readonly record struct KeptMessage(IReadOnlyList<byte[]> Datagrams, uint[] Generations, long Bytes);

    private sealed class KeptList(uint[] generations, Form form, IReadOnlyList<byte[]> datagrams, long bytes, long batch, uint messageGeneration)
    {
        public uint MessageGeneration { get; } = messageGeneration;

        /// <summary>When its generations stopped being current (a timestamp of the clock); null: still current.</summary>
        public long? StaleSince { get; set; }

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
