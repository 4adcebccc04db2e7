using System.Globalization;

namespace Replicator.Hosting.Configuration;

/// <summary>
/// Durations in configuration files and on the command line: <c>00:01:30</c> (TimeSpan's
/// invariant <c>[d.]hh:mm:ss[.fffffff]</c>, all three fields) or a non-negative number with a unit: <c>90s</c>,
/// <c>1.5s</c>, <c>500ms</c>, <c>2m</c>, <c>1h</c>, <c>1d</c>. A bare number is refused: TimeSpan
/// reads <c>90</c> as 90 days, most people as 90 seconds, so neither reading is safe.
/// </summary>
public static class DurationText
{
    /// <summary>What <see cref="TryParse"/> accepts, for error messages.</summary>
    public const string Format = "duration (00:01:30, or a number with a unit: 90s, 500ms, 2m, 1h, 1d; a bare number is refused)";

    public static bool TryParse(string? text, out TimeSpan value)
    {
        value = default;
        if (string.IsNullOrWhiteSpace(text)) return false;
        ReadOnlySpan<char> s = text.AsSpan().Trim();
        // hh:mm:ss in full: TimeSpan would read "1:30" as 1 h 30 min, many people as 1 min 30 s.
        if (s.Contains(':')) return s.Count(':') == 2 && TimeSpan.TryParse(s, CultureInfo.InvariantCulture, out value);
        (int unitLength, double unitSeconds) = s switch
        {
            _ when s.EndsWith("ms", StringComparison.Ordinal) => (2, 0.001),
            _ when s.EndsWith('s') => (1, 1),
            _ when s.EndsWith('m') => (1, 60),
            _ when s.EndsWith('h') => (1, 3600),
            _ when s.EndsWith('d') => (1, 86400),
            _ => (0, 0),
        };
        if (unitLength == 0) return false;
        ReadOnlySpan<char> number = s[..^unitLength].TrimEnd();
        if (number.IsEmpty || !double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double amount)) return false;
        double seconds = amount * unitSeconds;
        if (!double.IsFinite(seconds) || seconds > TimeSpan.MaxValue.TotalSeconds) return false;
        value = TimeSpan.FromTicks((long)Math.Round(seconds * TimeSpan.TicksPerSecond));
        return true;
    }
}
