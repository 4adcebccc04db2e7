using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Replicator.Hosting.Configuration;

namespace Replicator.TestSupport.Docs;

/// <summary>
/// docs/configuration.md against one daemon's own composition (the keys its start-up check
/// accepts): the same sections, exactly the declared keys, each default the options class's, and
/// a live reload claimed only for a section the daemon registers as reloadable. Each method returns
/// the problems, one line naming the key; the daemons' ConfigurationReferenceTests assert none.
/// </summary>
/// <param name="daemon">vxsnd or vxrd, for the messages.</param>
/// <param name="topSection">The daemon's configuration section (ServiceNode, RegistrationDaemon).</param>
/// <param name="optionsTypes">The options class behind each section the daemon declares, for its defaults.</param>
/// <param name="compose">The daemon's composition (its Program.CreateBuilder with no configuration).</param>
public sealed class ConfigurationReference(string daemon, string topSection, IReadOnlyDictionary<string, Type> optionsTypes, Func<HostApplicationBuilder> compose)
{
    private const string Doc = "docs/configuration.md";

    public IEnumerable<string> SectionProblems()
    {
        var declared = Declared().Select(k => k.Section).ToHashSet(StringComparer.Ordinal);
        var documented = Documented().SelectMany(r => r.Heading).Where(h => h.StartsWith(topSection, StringComparison.Ordinal)).ToHashSet(StringComparer.Ordinal);
        return declared.Except(documented).Select(s => $"section {s}: declared by {daemon}, no table in {Doc}")
            .Concat(documented.Except(declared).Select(s => $"section {s}: in {Doc}, not declared by {daemon}"))
            .Concat(declared.Except(optionsTypes.Keys).Select(s => $"section {s}: add its options class to the test"))
            .ToList();
    }

    public IEnumerable<string> KeyProblems()
    {
        var rows = Documented();
        var errors = new List<string>();
        foreach (var section in Declared())
        {
            var documented = rows.Where(r => r.Heading.Contains(section.Section)).Select(Key).ToList();
            errors.AddRange(section.Keys.Keys.Where(k => !documented.Contains(k, StringComparer.Ordinal)).Select(k => $"{section.Section}:{k}: declared, missing from {Doc}"));
            errors.AddRange(documented.Where(k => !section.Keys.ContainsKey(k)).Select(k => $"{section.Section}:{k}: in {Doc}, not a key {daemon} reads"));
            errors.AddRange(documented.GroupBy(k => k).Where(g => g.Count() > 1).Select(g => $"{section.Section}:{g.Key}: listed twice"));
        }

        return errors;
    }

    public IEnumerable<string> DefaultProblems()
    {
        var errors = new List<string>();
        foreach (var row in Documented())
        {
            string key = Key(row);
            foreach (string section in row.Heading.Where(optionsTypes.ContainsKey))
            {
                var property = optionsTypes[section].GetProperty(key);
                if (property is null) continue; // a key problem, reported by KeyProblems
                string expected = ReferenceTables.FormatDefault(property.GetValue(Activator.CreateInstance(optionsTypes[section])));
                string? written = ReferenceTables.DefaultCell(row.Cells[2]);
                if (written != expected) errors.Add($"{section}:{key}: {Doc} line {row.Line} says default '{row.Cells[2]}', the options class has '{expected}'");
            }
        }

        return errors;
    }

    public IEnumerable<string> ReloadProblems()
    {
        var services = compose().Services;
        var errors = new List<string>();
        foreach (var row in Documented())
        {
            string key = Key(row);
            string reload = row.Cells[3];
            if (reload is not ("start" or "live" or "start (content: live)"))
            {
                errors.Add($"{key}: {Doc} line {row.Line}: reload '{reload}' is none of start, live, start (content: live)");
                continue;
            }
            if (!reload.Contains("live", StringComparison.Ordinal)) continue;
            foreach (string section in row.Heading.Where(optionsTypes.ContainsKey))
            {
                var reloadable = typeof(IReloadableOptions<>).MakeGenericType(optionsTypes[section]);
                if (!services.Any(d => d.ServiceType == reloadable))
                    errors.Add($"{section}:{key}: {Doc} line {row.Line} says it reloads live, but {daemon} reads {optionsTypes[section].Name} at start only");
            }
        }

        return errors;
    }

    private static string Key(ReferenceTables.Row row) => ReferenceTables.CodeSpans(row.Cells[0]).FirstOrDefault() ?? row.Cells[0];

    private List<ConfigurationSectionKeys> Declared()
    {
        using var host = compose().Build();
        return host.Services.GetServices<ConfigurationSectionKeys>().ToList();
    }

    private List<ReferenceTables.Row> Documented() =>
        ReferenceTables.Rows(ReferenceTables.Read(Doc))
            .Where(r => r.Heading.Any(h => h == topSection || h.StartsWith(topSection + ":", StringComparison.Ordinal)))
            .ToList();
}
