namespace Replicator.RegistrationDaemon.Devices;

/// <summary>Matches device names against the configured names and globs (<c>*</c> any run, <c>?</c> one character).</summary>
internal sealed class DeviceFilter
{
    private readonly string[] _patterns;

    public DeviceFilter(IEnumerable<string> patterns) => _patterns = [.. patterns];

    /// <summary>True when no pattern is configured (every device) or one matches.</summary>
    public bool Matches(string name)
    {
        if (_patterns.Length == 0) return true;
        foreach (var p in _patterns)
        {
            if (Glob(p, name)) return true;
        }
        return false;
    }

    private static bool Glob(ReadOnlySpan<char> pattern, ReadOnlySpan<char> text)
    {
        // Iterative matcher with one backtrack point: linear enough for 15-character names.
        int p = 0, t = 0, star = -1, mark = 0;
        while (t < text.Length)
        {
            if (p < pattern.Length && (pattern[p] == '?' || pattern[p] == text[t])) { p++; t++; }
            else if (p < pattern.Length && pattern[p] == '*') { star = p++; mark = t; }
            else if (star >= 0) { p = star + 1; t = ++mark; }
            else return false;
        }
        while (p < pattern.Length && pattern[p] == '*') p++;
        return p == pattern.Length;
    }
}
