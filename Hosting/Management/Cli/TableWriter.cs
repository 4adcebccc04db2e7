namespace Replicator.Hosting.Management.Cli;

/// <summary>Plain aligned text tables for CLI output: a header row, then left-aligned columns two spaces apart.</summary>
public static class TableWriter
{
    public static void Write(TextWriter output, IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string>> rows)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(headers);
        ArgumentNullException.ThrowIfNull(rows);
        var all = new List<IReadOnlyList<string>> { headers };
        all.AddRange(rows);
        var widths = new int[headers.Count];
        foreach (var row in all)
        {
            for (int i = 0; i < widths.Length && i < row.Count; i++) widths[i] = Math.Max(widths[i], row[i].Length);
        }
        var line = new System.Text.StringBuilder();
        foreach (var row in all)
        {
            line.Clear();
            for (int i = 0; i < widths.Length; i++)
            {
                string cell = i < row.Count ? row[i] : "";
                if (i == widths.Length - 1) line.Append(cell);
                else line.Append(cell.PadRight(widths[i] + 2));
            }
            output.WriteLine(line.ToString().TrimEnd());
        }
    }
}
