namespace Replicator.Protocol.Control;

/// <summary>
/// The split peer list a VTEP holds only some parts of (Register key 7, PROTOCOL.md 5.2): the list's
/// message <paramref name="Generation"/> (PeerList key 2), its <paramref name="PartCount"/> (PeerList key 4)
/// and which parts are held: bit <c>7 - i % 8</c> of byte <c>i / 8</c> of <paramref name="Held"/> is part
/// <c>i</c> (the first part is the leftmost bit), exactly <see cref="BitmapBytes"/> bytes, the bits past the
/// last part zero. <see cref="Instance"/> (the fourth element, optional) is the instance that sent the
/// message (PeerList key 8): message generations count from the start again in every run of a service
/// node, so one of another run names another message. A service node that still has that message sends the
/// parts not held, then what changed since. Compares by value.
/// </summary>
public sealed record IncompleteList(uint Generation, ushort PartCount, byte[] Held)
{
    /// <summary>The sending service node's instance (PeerList key 8), 1..2^32-1; null: not named.</summary>
    public uint? Instance { get; init; }

    /// <summary>Size of the bitmap of <paramref name="partCount"/> parts.</summary>
    public static int BitmapBytes(int partCount) => (partCount + 7) / 8;

    /// <summary>The list of <paramref name="partCount"/> parts of message <paramref name="generation"/> holding the parts <paramref name="held"/> says.</summary>
    public static IncompleteList Of(uint generation, ushort partCount, Func<int, bool> held)
    {
        ArgumentNullException.ThrowIfNull(held);
        var bitmap = new byte[BitmapBytes(partCount)];
        for (int i = 0; i < partCount; i++)
        {
            if (held(i)) bitmap[i / 8] |= (byte)(0x80 >> (i % 8));
        }
        return new IncompleteList(generation, partCount, bitmap);
    }

    /// <summary>Whether part <paramref name="index"/> is held (false beyond the part count).</summary>
    public bool IsHeld(int index) => (uint)index < PartCount && (Held[index / 8] & (0x80 >> (index % 8))) != 0;

    /// <summary>Parts not held.</summary>
    public int Missing
    {
        get
        {
            int held = 0;
            foreach (byte b in Held) held += System.Numerics.BitOperations.PopCount(b);
            return PartCount - held;
        }
    }

    /// <summary>Null when the bitmap fits the part count (its length, zero bits past the last part), else what is wrong.</summary>
    public string? Problem()
    {
        if (PartCount == 0) return "part count 0";
        if (Instance == 0) return "instance 0";
        if (Held is null || Held.Length != BitmapBytes(PartCount)) return $"held-parts bitmap of {Held?.Length ?? 0} bytes, {BitmapBytes(PartCount)} for {PartCount} parts";
        int spare = Held.Length * 8 - PartCount;
        if (spare > 0 && (Held[^1] & ((1 << spare) - 1)) != 0) return $"held-parts bitmap has bits set past part {PartCount - 1}";
        return null;
    }

    public bool Equals(IncompleteList? other) =>
        other is not null && Generation == other.Generation && PartCount == other.PartCount && Instance == other.Instance && Held.AsSpan().SequenceEqual(other.Held);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Generation);
        hash.Add(PartCount);
        hash.Add(Instance);
        hash.AddBytes(Held);
        return hash.ToHashCode();
    }
}
