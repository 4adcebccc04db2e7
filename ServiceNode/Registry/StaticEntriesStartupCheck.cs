using Replicator.Hosting.Configuration;

namespace Replicator.ServiceNode.Registry;

/// <summary>Refuses to start with an unreadable or invalid static entries file (naming file and line) or an unwritable directory.</summary>
internal sealed class StaticEntriesStartupCheck(StaticEntriesStore store, IReloadableOptions<RegistryOptions> options) : IStartupCheck
{
    public IReadOnlyList<string> Check()
    {
        IReadOnlyList<StaticEntry> entries;
        try
        {
            entries = store.Load();
        }
        catch (FormatException ex)
        {
            return [$"static entries file {ex.Message}"];
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return [$"static entries file {store.Path} cannot be read: {ex.Message}"];
        }
        // Found now rather than at the first 'fdb add' (which would fail with 503).
        if (store.CheckWritable() is { } notWritable)
            return [$"{RegistryOptions.SectionName}:StaticEntriesFile = '{store.Path}': cannot write in {Path.GetDirectoryName(store.Path)}: {notWritable}"];
        var o = options.Current;
        var distinct = entries.Distinct().ToList();
        var errors = new List<string>();
        if (distinct.Count > o.MaxEntries)
            errors.Add($"static entries file {store.Path}: {distinct.Count} entries exceed {RegistryOptions.SectionName}:MaxEntries = '{o.MaxEntries}'");
        foreach (var group in distinct.GroupBy(e => e.Vni).Where(g => g.Count() > o.MaxMembersPerVni))
            errors.Add($"static entries file {store.Path}: VNI {group.Key} has {group.Count()} entries, more than {RegistryOptions.SectionName}:MaxMembersPerVni = '{o.MaxMembersPerVni}'");
        return errors;
    }
}
