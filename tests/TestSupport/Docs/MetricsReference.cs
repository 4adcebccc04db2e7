namespace Replicator.TestSupport.Docs;

/// <summary>The metrics docs/metrics.md lists, and the sample names Prometheus gets for them.</summary>
public static class MetricsReference
{
    public const string Path = "docs/metrics.md";

    /// <summary>Each listed metric: its Prometheus name, type, and the line it is on.</summary>
    public static IReadOnlyList<(string Name, string Type, int Line)> Metrics() =>
        ReferenceTables.Rows(ReferenceTables.Read(Path))
            .Where(r => r.Cells.Count >= 4 && ReferenceTables.CodeSpans(r.Cells[0]).Count == 1)
            .Select(r => (ReferenceTables.CodeSpans(r.Cells[0])[0], r.Cells[1], r.Line))
            .ToList();

    /// <summary>The sample names of the listed metrics: a histogram as its <c>_bucket</c>, <c>_sum</c> and <c>_count</c> series.</summary>
    public static IReadOnlySet<string> SampleNames() =>
        Metrics().SelectMany(m => m.Type == "histogram" ? new[] { m.Name + "_bucket", m.Name + "_sum", m.Name + "_count" } : [m.Name])
            .ToHashSet(StringComparer.Ordinal);
}
