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
    /// <summary>
    /// One line per unknown key (with the nearest known key, or where a moved key went) and per
    /// misshapen value. A nested section (<c>ServiceNode:DataPlane</c>) is a known key of its parent
    /// and is checked like any other section.
    /// </summary>
    public static IReadOnlyList<string> Check(IConfiguration configuration, IEnumerable<ConfigurationSectionKeys> keys)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(keys);
        ConfigurationSectionKeys[] all = [.. keys];
        var errors = new List<string>();
        foreach (var group in all.GroupBy(k => k.Section, StringComparer.OrdinalIgnoreCase))
        {
            var known = new Dictionary<string, Type>(StringComparer.OrdinalIgnoreCase);
            foreach (var (key, type) in group.SelectMany(g => g.Keys)) known.TryAdd(key, type);
            ConfigurationSectionKeys[] nested = [.. all.Where(k => string.Equals(k.Parent, group.Key, StringComparison.OrdinalIgnoreCase))];
            var nestedNames = new HashSet<string>(nested.Select(n => n.Name), StringComparer.OrdinalIgnoreCase);

            IConfigurationSection section = configuration.GetSection(group.Key);
            if (section.Value is { Length: > 0 } scalar)
                errors.Add($"{section.Path}: expected a section of keys, got a single value '{scalar}'");
            foreach (IConfigurationSection child in section.GetChildren())
            {
                if (known.TryGetValue(child.Key, out Type? type))
                    errors.AddRange(ConfigurationValueShape.Problems(child, type));
                else if (nestedNames.Contains(child.Key))
                    continue; // Checked as a section of its own.
                else if (MovedTo(child.Key, nested) is { } moved)
                    errors.Add($"{child.Path}: unknown key; it moved to {moved}");
                else
                    errors.Add($"{child.Path}: unknown key; did you mean {NearestKey.Find(child.Key, known.Keys.Concat(nestedNames))}?");
            }
        }
        return errors;
    }

    /// <summary>Where an old key of a parent section lives now: the nested section key of that name, or the one that names it as its former key.</summary>
    private static string? MovedTo(string key, IEnumerable<ConfigurationSectionKeys> nested)
    {
        foreach (var n in nested)
        {
            if (n.FormerKeys.TryGetValue(key, out string? renamed)) return $"{n.Section}:{renamed}";
        }
        foreach (var n in nested)
        {
            if (n.Keys.ContainsKey(key)) return $"{n.Section}:{n.Keys.Keys.First(k => string.Equals(k, key, StringComparison.OrdinalIgnoreCase))}";
        }
        return null;
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
        var known = new HashSet<string>(keys.Select(k => k.TopLevel), StringComparer.OrdinalIgnoreCase);
        if (known.Count == 0) return [];
        known.Add(LoggingSection);
        return [.. topLevelKeys.Distinct(StringComparer.OrdinalIgnoreCase).Where(k => !known.Contains(k))
            .Select(k => $"{k}: unknown section; did you mean {NearestKey.Find(k, known)}?")];
    }

    /// <summary>Where log levels are configured; read by the logging library, not by an options class.</summary>
    public const string LoggingSection = "Logging";
}
