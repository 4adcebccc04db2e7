using System.CommandLine;
namespace Replicator.TestSupport.Docs;

/// <summary>
/// What docs/cli.md lists for a tool and what its System.CommandLine tree declares (walked by
/// the daemon's test), in the same shape: "command path" to its option and argument names (<c>vxsnd fdb add</c>: <c>VNI</c>,
/// <c>ADDRESS</c>, <c>--socket</c>).
/// </summary>
public static class CliReference
{
    public const string Path = "docs/cli.md";

    /// <summary>
    /// The commands docs/cli.md lists for <paramref name="tool"/> (headings <c>`tool sub`</c>) with
    /// the options and arguments of their tables (a row's first code span, its first word);
    /// configuration overrides (<c>--Section:Key=value</c>) are not options and are left out.
    /// </summary>
    public static IReadOnlyDictionary<string, IReadOnlySet<string>> Documented(string tool)
    {
        string text = ReferenceTables.Read(Path);
        var result = new SortedDictionary<string, IReadOnlySet<string>>(StringComparer.Ordinal);
        foreach (string line in text.Split('\n').Where(l => l.StartsWith("### ", StringComparison.Ordinal)))
        {
            if (ReferenceTables.CodeSpans(line).FirstOrDefault() is { } name && (name == tool || name.StartsWith(tool + " ", StringComparison.Ordinal)))
                result[name] = new HashSet<string>(StringComparer.Ordinal);
        }
        foreach (var row in ReferenceTables.Rows(text))
        {
            if (row.Heading.FirstOrDefault() is not { } command || !result.TryGetValue(command, out var members)) continue;
            if (ReferenceTables.CodeSpans(row.Cells[0]).FirstOrDefault() is not { } cell) continue;
            string token = cell.Split(' ')[0];
            if (token.Contains(':', StringComparison.Ordinal)) continue;
            ((HashSet<string>)members).Add(token);
        }
        return result;
    }

    /// <summary>Every difference between the two, one line each naming the command and the member.</summary>
    public static IReadOnlyList<string> Differences(IReadOnlyDictionary<string, IReadOnlySet<string>> declared, IReadOnlyDictionary<string, IReadOnlySet<string>> documented)
    {
        var errors = new List<string>();
        errors.AddRange(declared.Keys.Except(documented.Keys).Select(c => $"{c}: a command, missing from {Path}"));
        errors.AddRange(documented.Keys.Except(declared.Keys).Select(c => $"{c}: in {Path}, not a command"));
        foreach (var (command, members) in declared)
        {
            if (!documented.TryGetValue(command, out var listed)) continue;
            errors.AddRange(members.Except(listed).Select(m => $"{command} {m}: declared, missing from {Path}"));
            errors.AddRange(listed.Except(members).Select(m => $"{command} {m}: in {Path}, not declared"));
        }
        return errors;
    }

    /// <summary>Every command of <paramref name="root"/> by its path (<c>vxsnd fdb add</c>), with the names of its options and arguments.</summary>
    public static IReadOnlyDictionary<string, IReadOnlySet<string>> Declared(string tool, Command root)
    {
        var result = new SortedDictionary<string, IReadOnlySet<string>>(StringComparer.Ordinal);
        Walk(tool, root, result);
        return result;
    }

    private static void Walk(string path, Command command, SortedDictionary<string, IReadOnlySet<string>> result)
    {
        var members = new HashSet<string>(StringComparer.Ordinal);
        foreach (var option in command.Options) members.Add(option.Name);
        foreach (var argument in command.Arguments) members.Add(argument.Name);
        result[path] = members;
        foreach (var sub in command.Subcommands) Walk($"{path} {sub.Name}", sub, result);
    }
}
