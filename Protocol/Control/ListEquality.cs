namespace Replicator.Protocol.Control;

/// <summary>Element-wise equality for the list members of message records, so that records compare by value.</summary>
internal static class ListEquality
{
    public static bool Equal<T>(IReadOnlyList<T>? a, IReadOnlyList<T>? b)
    {
        if (ReferenceEquals(a, b)) return true;
        if (a is null || b is null || a.Count != b.Count) return false;
        var comparer = EqualityComparer<T>.Default;
        for (int i = 0; i < a.Count; i++)
        {
            if (!comparer.Equals(a[i], b[i])) return false;
        }
        return true;
    }

    public static int Hash<T>(IReadOnlyList<T>? list)
    {
        if (list is null) return 0;
        var hash = new HashCode();
        hash.Add(list.Count);
        for (int i = 0; i < list.Count && i < 8; i++) hash.Add(list[i]);
        return hash.ToHashCode();
    }
}
