using System.Reflection;

namespace Replicator.Hosting.Configuration;

/// <summary>
/// Keys that one options class (or one feature) reads from a configuration section, with the type
/// each key binds to. Several options classes may share a section (vxsnd's flat <c>ServiceNode</c>);
/// the keys known in a section are the union of every entry registered for it with
/// <see cref="ConfigurationKeysExtensions.AddConfigurationKeys"/>. Derived from the options classes
/// themselves, so a new property is a known key without a second list to maintain.
/// </summary>
public sealed class ConfigurationSectionKeys
{
    public ConfigurationSectionKeys(string section, IEnumerable<KeyValuePair<string, Type>> keys)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(section);
        ArgumentNullException.ThrowIfNull(keys);
        Section = section;
        var map = new Dictionary<string, Type>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, type) in keys) map.TryAdd(key, type);
        Keys = map;
    }

    /// <summary>The section's path, e.g. <c>ServiceNode</c>.</summary>
    public string Section { get; }

    /// <summary>Key (case-insensitive, as configuration keys are) to the type it binds to.</summary>
    public IReadOnlyDictionary<string, Type> Keys { get; }

    /// <summary>The keys <see cref="OptionsBinder"/> binds for <typeparamref name="TOptions"/>: its public settable properties.</summary>
    public static ConfigurationSectionKeys Of<TOptions>(string section) where TOptions : class =>
        new(section, BindableProperties(typeof(TOptions)).Select(p => new KeyValuePair<string, Type>(p.Name, p.PropertyType)));

    /// <summary>The properties a configuration section binds to: public, instance, settable, not indexers.</summary>
    internal static IEnumerable<PropertyInfo> BindableProperties(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanWrite && p.GetSetMethod() is not null && p.GetIndexParameters().Length == 0);
}
