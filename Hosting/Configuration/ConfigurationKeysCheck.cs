using Microsoft.Extensions.Configuration;

namespace Replicator.Hosting.Configuration;

/// <summary>
/// Checks the sections a daemon owns: every key must be one that some options class of that section
/// binds (a misspelt <c>ControlPrt</c> would otherwise be ignored and <c>ControlPort</c> silently keep
/// its default), and every value must have its key's shape. A section declared under another
/// (<c>ServiceNode:Authentication</c>) is a key of its parent and has its own keys checked. Other
/// sections (<c>Logging</c>, the environment's <c>DOTNET_*</c>) are not the daemon's and are not checked.
/// </summary>
public static class ConfigurationKeysCheck
{
    /// <summary>One line per unknown key (with the nearest known key) and per misshapen value.</summary>
    public static IReadOnlyList<string> Check(IConfiguration configuration, IEnumerable<ConfigurationSectionKeys> keys)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(keys);
        var errors = new List<string>();
        var groups = keys.GroupBy(k => k.Section, StringComparer.OrdinalIgnoreCase).ToList();
        foreach (var group in groups)
        {
            var known = new Dictionary<string, Type>(StringComparer.OrdinalIgnoreCase);
            foreach (var (key, type) in group.SelectMany(g => g.Keys)) known.TryAdd(key, type);
            // A section declared under this one (ServiceNode:Authentication) is a key of it; its own entry checks its keys.
            var nested = new HashSet<string>(groups.Select(g => ChildOf(group.Key, g.Key)).OfType<string>(), StringComparer.OrdinalIgnoreCase);

            IConfigurationSection section = configuration.GetSection(group.Key);
            if (section.Value is { Length: > 0 } scalar)
                errors.Add($"{section.Path}: expected a section of keys, got a single value '{scalar}'");
            foreach (IConfigurationSection child in section.GetChildren())
            {
                if (known.TryGetValue(child.Key, out Type? type))
                    errors.AddRange(ConfigurationValueShape.Problems(child, type));
                else if (nested.Contains(child.Key))
                    continue;
                else
                    errors.Add($"{child.Path}: unknown key; did you mean {NearestKey.Find(child.Key, known.Keys.Concat(nested))}?");
            }
        }
        return errors;
    }

    /// <summary>The key of <paramref name="section"/> under which <paramref name="descendant"/> lies (<c>Authentication</c> for <c>ServiceNode</c>, <c>ServiceNode:Authentication</c>), or null.</summary>
    private static string? ChildOf(string section, string descendant)
    {
        if (descendant.Length <= section.Length + 1 || descendant[section.Length] != ':'
            || !descendant.StartsWith(section, StringComparison.OrdinalIgnoreCase)) return null;
        string rest = descendant[(section.Length + 1)..];
        int colon = rest.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? rest : rest[..colon];
    }

    /// <summary>
    /// One line per top-level section of a source the operator wrote for this daemon (its file, its
    /// command line) that is neither one of the daemon's sections nor <c>Logging</c>: a misspelt
    /// <c>"ServiceNod": { ... }</c> would otherwise leave every key in it unread.
    /// </summary>
    public static IReadOnlyList<string> CheckSections(IEnumerable<string> topLevelKeys, IEnumerable<ConfigurationSectionKeys> keys)
    {
        ArgumentNullException.ThrowIfNull(topLevelKeys);
        ArgumentNullException.ThrowIfNull(keys);
        var known = new HashSet<string>(keys.Select(k => k.Section.Split(':')[0]), StringComparer.OrdinalIgnoreCase);
        if (known.Count == 0) return [];
        known.Add(LoggingSection);
        return [.. topLevelKeys.Distinct(StringComparer.OrdinalIgnoreCase).Where(k => !known.Contains(k))
            .Select(k => $"{k}: unknown section; did you mean {NearestKey.Find(k, known)}?")];
    }

    /// <summary>Where log levels are configured; read by the logging library, not by an options class.</summary>
    public const string LoggingSection = "Logging";
}
