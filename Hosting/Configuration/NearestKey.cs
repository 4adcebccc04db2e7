namespace Replicator.Hosting.Configuration;

/// <summary>The known key closest to a misspelt one, by case-insensitive edit distance.</summary>
public static class NearestKey
{
    /// <summary>The candidate at the smallest Levenshtein distance (ties: alphabetical first); null when there is none.</summary>
    public static string? Find(string key, IEnumerable<string> candidates)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(candidates);
        string? best = null;
        int bestDistance = int.MaxValue;
        foreach (string candidate in candidates.Order(StringComparer.OrdinalIgnoreCase))
        {
            int d = Distance(key, candidate);
            if (d < bestDistance) (best, bestDistance) = (candidate, d);
        }
        return best;
    }

    /// <summary>Levenshtein distance, ignoring case (configuration keys are case-insensitive).</summary>
    public static int Distance(string a, string b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++) previous[j] = j;
        for (int i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int cost = char.ToUpperInvariant(a[i - 1]) == char.ToUpperInvariant(b[j - 1]) ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }
}
