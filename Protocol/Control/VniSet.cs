namespace Replicator.Protocol.Control;

/// <summary>
/// The set that finds a VNI listed twice, reused per thread so that decoding and encoding allocate
/// nothing but the message (a hostile message's set is not kept).
/// </summary>
internal static class VniSet
{
    private const int MaxKept = 4096;

    [ThreadStatic] private static HashSet<uint>? t_set;

    public static HashSet<uint> Rent(int count)
    {
        if (count > MaxKept) return new HashSet<uint>(count);
        HashSet<uint> set = t_set ??= new HashSet<uint>();
        set.Clear();
        return set;
    }
}
