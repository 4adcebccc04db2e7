using Microsoft.Extensions.DependencyInjection;
using Replicator.Hosting.Authentication;
using Replicator.Hosting.Configuration;
using Replicator.Hosting.Metrics;
using Replicator.ServiceNode.Cluster;
using Replicator.ServiceNode.Configuration;
using Replicator.ServiceNode.Hardening;
using Replicator.ServiceNode.Registry;
using Replicator.ServiceNode.Replication;
using Replicator.TestSupport.Docs;

namespace Replicator.ServiceNode.Tests.Docs;

/// <summary>
/// docs/configuration.md lists exactly the keys vxsnd's own composition declares (the keys the
/// start-up check accepts), section by section, each with its options class's default, and
/// claims a live reload only for a section the daemon registers as reloadable.
/// </summary>
public sealed class ConfigurationReferenceTests
{
    /// <summary>The options class behind each section vxsnd declares, for its defaults.</summary>
    private static readonly Dictionary<string, Type> OptionsTypes = new(StringComparer.Ordinal)
    {
        [ServiceNodeOptions.SectionName] = typeof(ServiceNodeOptions),
        [RegistryOptions.SectionName] = typeof(RegistryOptions),
        [ReplicationOptions.SectionName] = typeof(ReplicationOptions),
        [ClusterOptions.SectionName] = typeof(ClusterOptions),
        [ControlLimitsOptions.SectionName] = typeof(ControlLimitsOptions),
        [$"{ServiceNodeOptions.SectionName}:{ControlAuthenticationOptions.SectionName}"] = typeof(ControlAuthenticationOptions),
        [$"{ServiceNodeOptions.SectionName}:{MetricsOptions.SectionName}"] = typeof(MetricsOptions),
    };

    private static IReadOnlyList<ConfigurationSectionKeys> Declared()
    {
        using var host = Program.CreateBuilder(null, []).Build();
        return host.Services.GetServices<ConfigurationSectionKeys>().ToList();
    }

    private static IReadOnlyList<ReferenceTables.Row> Documented() =>
        ReferenceTables.Rows(ReferenceTables.Read("docs/configuration.md"))
            .Where(r => r.Heading.Any(h => h == ServiceNodeOptions.SectionName || h.StartsWith(ServiceNodeOptions.SectionName + ":", StringComparison.Ordinal)))
            .ToList();

    [Fact]
    public void Reference_Sections_AreTheSectionsVxsndDeclares()
    {
        var declared = Declared().Select(k => k.Section).ToHashSet(StringComparer.Ordinal);
        var documented = Documented().SelectMany(r => r.Heading).Where(h => h.StartsWith(ServiceNodeOptions.SectionName, StringComparison.Ordinal)).ToHashSet(StringComparer.Ordinal);

        ReferenceTables.AssertNone(declared.Except(documented).Select(s => $"section {s}: declared by vxsnd, no table in docs/configuration.md"));
        ReferenceTables.AssertNone(documented.Except(declared).Select(s => $"section {s}: in docs/configuration.md, not declared by vxsnd"));
        ReferenceTables.AssertNone(declared.Except(OptionsTypes.Keys).Select(s => $"section {s}: add its options class to this test"));
    }

    [Fact]
    public void Reference_Keys_AreExactlyTheDeclaredKeys()
    {
        var rows = Documented();
        var errors = new List<string>();
        foreach (var section in Declared())
        {
            var documented = rows.Where(r => r.Heading.Contains(section.Section)).Select(r => ReferenceTables.CodeSpans(r.Cells[0]).FirstOrDefault() ?? r.Cells[0]).ToList();
            errors.AddRange(section.Keys.Keys.Where(k => !documented.Contains(k, StringComparer.Ordinal)).Select(k => $"{section.Section}:{k}: declared, missing from docs/configuration.md"));
            errors.AddRange(documented.Where(k => !section.Keys.ContainsKey(k)).Select(k => $"{section.Section}:{k}: in docs/configuration.md, not a key vxsnd reads"));
            errors.AddRange(documented.GroupBy(k => k).Where(g => g.Count() > 1).Select(g => $"{section.Section}:{g.Key}: listed twice"));
        }

        ReferenceTables.AssertNone(errors);
    }

    [Fact]
    public void Reference_Defaults_AreTheOptionsClassesDefaults()
    {
        var errors = new List<string>();
        foreach (var row in Documented())
        {
            string key = ReferenceTables.CodeSpans(row.Cells[0]).FirstOrDefault() ?? row.Cells[0];
            foreach (string section in row.Heading.Where(OptionsTypes.ContainsKey))
            {
                var property = OptionsTypes[section].GetProperty(key);
                if (property is null) continue; // reported by Reference_Keys_AreExactlyTheDeclaredKeys
                string expected = ReferenceTables.FormatDefault(property.GetValue(Activator.CreateInstance(OptionsTypes[section])));
                string? written = ReferenceTables.DefaultCell(row.Cells[2]);
                if (written != expected) errors.Add($"{section}:{key}: docs/configuration.md line {row.Line} says default '{row.Cells[2]}', the options class has '{expected}'");
            }
        }

        ReferenceTables.AssertNone(errors);
    }

    [Fact]
    public void Reference_Reload_LiveOnlyWhereTheSectionIsReloadable()
    {
        var services = Program.CreateBuilder(null, []).Services;
        var errors = new List<string>();
        foreach (var row in Documented())
        {
            string key = ReferenceTables.CodeSpans(row.Cells[0]).FirstOrDefault() ?? row.Cells[0];
            string reload = row.Cells[3];
            if (reload is not ("start" or "live" or "start (content: live)"))
            {
                errors.Add($"{key}: docs/configuration.md line {row.Line}: reload '{reload}' is none of start, live, start (content: live)");
                continue;
            }
            if (!reload.Contains("live", StringComparison.Ordinal)) continue;
            foreach (string section in row.Heading.Where(OptionsTypes.ContainsKey))
            {
                var reloadable = typeof(IReloadableOptions<>).MakeGenericType(OptionsTypes[section]);
                if (!services.Any(d => d.ServiceType == reloadable))
                    errors.Add($"{section}:{key}: docs/configuration.md line {row.Line} says it reloads live, but vxsnd reads {OptionsTypes[section].Name} at start only");
            }
        }

        ReferenceTables.AssertNone(errors);
    }
}
