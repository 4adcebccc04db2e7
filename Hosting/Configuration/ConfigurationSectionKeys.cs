using System.Diagnostics.CodeAnalysis;
using System.Reflection;

namespace Replicator.Hosting.Configuration;

/// <summary>
/// Keys that one options class (or one feature) reads from a configuration section, with the type
/// each key binds to. A section may be nested (<c>ServiceNode:DataPlane</c>): its name is then a known
/// key of its parent. Several options classes may share a section; the keys known in a section are
/// the union of every entry registered for it with
/// <see cref="ConfigurationKeysExtensions.AddConfigurationKeys"/>. Derived from the options classes
/// themselves, so a new property is a known key without a second list to maintain.
/// </summary>
public sealed class ConfigurationSectionKeys
{
    public ConfigurationSectionKeys(string section, IEnumerable<KeyValuePair<string, Type>> keys, IEnumerable<KeyValuePair<string, string>>? formerKeys = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(section);
        ArgumentNullException.ThrowIfNull(keys);
        Section = section;
        var map = new Dictionary<string, Type>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, type) in keys) map.TryAdd(key, type);
        Keys = map;
        var former = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (old, key) in formerKeys ?? []) former.TryAdd(old, key);
        FormerKeys = former;
    }

    /// <summary>The section's path, e.g. <c>ServiceNode</c>.</summary>
    public string Section { get; }

    /// <summary>Key (case-insensitive, as configuration keys are) to the type it binds to.</summary>
    public IReadOnlyDictionary<string, Type> Keys { get; }

    /// <summary>
    /// Old keys of the parent section (<see cref="FormerKeyAttribute"/>) to the key here that replaced
    /// them, for the error that refuses an old key.
    /// </summary>
    public IReadOnlyDictionary<string, string> FormerKeys { get; }

    /// <summary>The section's parent path (<c>ServiceNode</c> for <c>ServiceNode:DataPlane</c>); null at the top level.</summary>
    public string? Parent => Section.LastIndexOf(':') is var i and > 0 ? Section[..i] : null;

    /// <summary>The last segment of the section's path (<c>DataPlane</c>), its key in <see cref="Parent"/>.</summary>
    public string Name => Section[(Section.LastIndexOf(':') + 1)..];

    /// <summary>The first segment of the section's path (<c>ServiceNode</c>): the section of the configuration file.</summary>
    public string TopLevel => Section.IndexOf(':') is var i and > 0 ? Section[..i] : Section;

    /// <summary>The keys <see cref="OptionsBinder"/> binds for <typeparamref name="TOptions"/>: its public settable properties.</summary>
    public static ConfigurationSectionKeys Of<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicProperties)] TOptions>(string section) where TOptions : class
    {
        var properties = BindableProperties(typeof(TOptions)).ToList();
        return new(section,
            properties.Select(p => new KeyValuePair<string, Type>(p.Name, p.PropertyType)),
            properties.SelectMany(p => p.GetCustomAttributes<FormerKeyAttribute>().Select(a => new KeyValuePair<string, string>(a.Key, p.Name))));
    }

    /// <summary>The properties a configuration section binds to: public, instance, settable, not indexers.</summary>
    internal static IEnumerable<PropertyInfo> BindableProperties([DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicProperties)] Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanWrite && p.GetSetMethod() is not null && p.GetIndexParameters().Length == 0);
}
