using Replicator.TestSupport.Docs;

namespace Replicator.Hosting.Deploy.Tests;

/// <summary>
/// docs/metrics.md and <see cref="KnownMetrics"/> (what alerts and the dashboard may use) list the
/// same metrics, both ways, each once, with a known type.
/// </summary>
public class MetricsReferenceTests
{
    [Fact]
    public void Reference_SampleNames_AreKnownMetrics()
    {
        var documented = MetricsReference.SampleNames();
        var known = KnownMetrics.Names.Where(n => n != "up").ToHashSet(StringComparer.Ordinal);

        ReferenceTables.AssertNone(known.Except(documented).Select(n => $"{n}: in KnownMetrics.cs, missing from {MetricsReference.Path}"));
        ReferenceTables.AssertNone(documented.Except(known).Select(n => $"{n}: in {MetricsReference.Path}, missing from KnownMetrics.cs"));
    }

    [Fact]
    public void Reference_EachMetric_ListedOnceWithAType()
    {
        var metrics = MetricsReference.Metrics();

        Assert.NotEmpty(metrics);
        ReferenceTables.AssertNone(metrics.GroupBy(m => m.Name).Where(g => g.Count() > 1).Select(g => $"{g.Key}: listed {g.Count()} times"));
        ReferenceTables.AssertNone(metrics.Where(m => m.Type is not ("counter" or "gauge" or "histogram")).Select(m => $"{m.Name} (line {m.Line}): type '{m.Type}'"));
        ReferenceTables.AssertNone(metrics.Where(m => m.Type == "counter" != m.Name.EndsWith("_total", StringComparison.Ordinal)).Select(m => $"{m.Name} (line {m.Line}): a counter's name ends in _total, only a counter's"));
    }
}
