namespace Replicator.ServiceNode.Control;

/// <summary>
/// The answers encoded during one registry batch, by what they say: VTEPs answered in the same batch
/// with the same lists (a join wave: every new VTEP gets the whole list of the VNI at the same
/// generation) share one encoding and one signature instead of each paying for its own. Valid only
/// while nothing is published (the history's generations and the member sets stay put), which is why
/// <see cref="AnswerBatch"/> clears it at the end of every batch. Registry loop only.
/// </summary>
internal sealed class AnswerEncodings
{
    private readonly Dictionary<Key, IReadOnlyList<byte[]>> _encoded = new(KeyComparer.Instance);

    /// <summary>Encodings held (for tests).</summary>
    public int Count => _encoded.Count;

    /// <summary>What an answer's datagrams are: the content's numbers mean different things in each.</summary>
    public enum Shape
    {
        /// <summary>Lists without generations (content: the VNIs).</summary>
        Plain,

        /// <summary>Lists with their generations (content: VNI and generation pairs).</summary>
        Full,

        /// <summary>Deltas (content: VNI and held generation pairs).</summary>
        Delta,

        /// <summary>The empty list (no content).</summary>
        Empty,
    }

    /// <summary>
    /// The encoding of <paramref name="shape"/> with content <paramref name="content"/> (VNIs and the
    /// generations that decide what is said of them), made by <paramref name="encode"/> the first time.
    /// </summary>
    public IReadOnlyList<byte[]> GetOrEncode<TState>(Shape shape, uint[] content, TState state, Func<TState, IReadOnlyList<byte[]>> encode)
    {
        var key = new Key(shape, content);
        if (!_encoded.TryGetValue(key, out var datagrams)) _encoded[key] = datagrams = encode(state);
        return datagrams;
    }

    public void Clear() => _encoded.Clear();

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
}
