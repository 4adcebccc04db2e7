using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Replicator.Hosting.Configuration;

namespace Replicator.TestSupport.Configuration;

/// <summary>Reloadable options as a daemon reads them, built from values in memory: no file, no validators.</summary>
public static class TestOptions
{
    /// <summary>
    /// The options of <paramref name="section"/> from <paramref name="values"/> (full keys, "Section:Key");
    /// without values, every default.
    /// </summary>
    public static ReloadableOptions<T> Reloadable<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicProperties)] T>(
        string section, IEnumerable<KeyValuePair<string, string?>>? values = null) where T : class, new() =>
        new(new ConfigurationBuilder().AddInMemoryCollection(values ?? []).Build(), section, [], NullLogger<ReloadableOptions<T>>.Instance);
}
