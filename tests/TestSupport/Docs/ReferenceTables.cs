using System.Collections;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Replicator.TestSupport.Docs;

/// <summary>
/// The tables of a reference page in docs/ (configuration.md, metrics.md, cli.md), each with the
/// code spans of the heading it sits under, so tests can compare the page with the code. Fenced
/// code blocks are skipped; cells are split on unescaped <c>|</c>.
/// </summary>
public static partial class ReferenceTables
{
    /// <summary>One table row: the code spans of the nearest heading above it, and its cells (trimmed, the header and rule rows left out).</summary>
    public sealed record Row(IReadOnlyList<string> Heading, int Line, IReadOnlyList<string> Cells);

    /// <summary>The text of a file of the repository (<c>docs/configuration.md</c>).</summary>
    public static string Read(string relativePath) =>
        File.ReadAllText(System.IO.Path.Combine(RepositoryRoot.Path, relativePath));

    public static IReadOnlyList<Row> Rows(string markdown)
    {
        var rows = new List<Row>();
        IReadOnlyList<string> heading = [];
        bool inFence = false, header = false;
        string[] lines = markdown.Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i].TrimEnd('\r').Trim();
            if (line.StartsWith("```", StringComparison.Ordinal))
            {
                inFence = !inFence;
                continue;
            }
            if (inFence) continue;
            if (line.StartsWith('#'))
            {
                heading = CodeSpans(line);
                continue;
            }
            if (!line.StartsWith('|'))
            {
                header = true; // the next table starts with its header row
                continue;
            }
            var cells = Cells(line);
            if (header)
            {
                header = false;
                continue;
            }
            if (cells.All(c => c.Length > 0 && c.All(ch => ch is '-' or ':'))) continue;
            rows.Add(new Row(heading, i + 1, cells));
        }
        return rows;
    }

    /// <summary>The contents of the inline code spans of <paramref name="text"/>, in order.</summary>
    public static IReadOnlyList<string> CodeSpans(string text) =>
        CodeSpan().Matches(text).Select(m => m.Groups["code"].Value.Trim()).ToList();

    /// <summary>
    /// An options property's default as the reference writes it: durations <c>00:01:30</c>, booleans
    /// <c>true</c>/<c>false</c>, enums by name, an empty list <c>[]</c>, numbers invariant; null is the
    /// word <c>unset</c>.
    /// </summary>
    public static string FormatDefault(object? value) => value switch
    {
        null => "unset",
        TimeSpan t => t.ToString("c", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        Enum e => e.ToString(),
        string s => s,
        IEnumerable list => "[" + string.Join(", ", list.Cast<object?>().Select(FormatDefault)) + "]",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "unset",
    };

    /// <summary>A default cell's value: the word <c>unset</c> when it starts with it, else its first code span.</summary>
    public static string? DefaultCell(string cell) =>
        cell.StartsWith("unset", StringComparison.Ordinal) ? "unset" : CodeSpans(cell).FirstOrDefault();

    /// <summary>Fails listing every problem in full, one a line (xunit would cut a collection's items short).</summary>
    public static void AssertNone(IEnumerable<string> problems)
    {
        var list = problems.ToList();
        Xunit.Assert.True(list.Count == 0, string.Join(Environment.NewLine, list));
    }

    private static List<string> Cells(string line)
    {
        string inner = line.Trim().Trim('|');
        return UnescapedPipe().Split(inner).Select(c => c.Trim().Replace("\\|", "|", StringComparison.Ordinal)).ToList();
    }

    [GeneratedRegex(@"`(?<code>[^`]+)`")]
    private static partial Regex CodeSpan();

    [GeneratedRegex(@"(?<!\\)\|")]
    private static partial Regex UnescapedPipe();
}
