using System.Globalization;
using System.Text;

namespace Replicator.ServiceNode.Registry;

/// <summary>
/// The static entries text format, shared by the store and <c>vxsnd fdb load</c>: one
/// <c>VNI ADDRESS</c> per line, separated by blanks; empty lines and lines starting with # are ignored.
/// </summary>
internal static class StaticEntriesFormat
{
    /// <summary>Parses the whole text; the first bad line throws, so nothing of a bad file is used.</summary>
    /// <exception cref="FormatException">Message: "<paramref name="sourceName"/>:LINE: what is wrong".</exception>
    public static IReadOnlyList<StaticEntry> Parse(string text, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(text);
        var entries = new List<StaticEntry>();
        int lineNumber = 0;
        foreach (var rawLine in text.Split('\n'))
        {
            lineNumber++;
            string line = rawLine.Trim();
            if (line.Length == 0 || line[0] == '#') continue;
            var fields = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length != 2)
                throw new FormatException($"{sourceName}:{lineNumber}: expected 'VNI ADDRESS', got '{line}'");
            if (!TryParseVni(fields[0], out uint vni))
                throw new FormatException($"{sourceName}:{lineNumber}: '{fields[0]}' is not a VNI (0-{RegistryLimits.MaxVni})");
            if (!VtepAddress.TryParse(fields[1], out var address) || address.IsUnusable)
                throw new FormatException($"{sourceName}:{lineNumber}: '{fields[1]}' is not a unicast IPv4 or IPv6 address");
            entries.Add(new StaticEntry(vni, address));
        }
        return entries;
    }

    public static bool TryParseVni(string? text, out uint vni) =>
        uint.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out vni) && vni <= RegistryLimits.MaxVni;

    public static string Format(IEnumerable<StaticEntry> entries)
    {
        var text = new StringBuilder("# vxsnd static entries: VNI ADDRESS. Written by vxsnd; edit with 'vxsnd fdb add|del|load'.\n");
        foreach (var entry in entries.OrderBy(e => e.Vni).ThenBy(e => e.Address.ToString(), StringComparer.Ordinal))
            text.Append(CultureInfo.InvariantCulture, $"{entry.Vni} {entry.Address}\n");
        return text.ToString();
    }
}
