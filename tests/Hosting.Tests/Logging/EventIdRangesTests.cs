using Replicator.Hosting.Logging;
using Replicator.TestSupport;

namespace Replicator.Hosting.Tests.Logging;

public sealed class EventIdRangesTests
{
    [Fact]
    public void Check_HostingAssembly_EveryIdUniqueAndInItsBlock()
    {
        var assembly = typeof(EventIdRanges).Assembly;
        Assert.NotEmpty(EventIdRanges.LogMethods(assembly));
        Assert.Empty(EventIdRanges.Check(assembly));
    }

    [Fact]
    public void Features_EachInsideItsAssemblyRange_NoOverlap()
    {
        foreach (var block in EventIdRanges.Features)
        {
            Assert.True(block.First <= block.Last, $"{block}: empty");
            var range = Assert.Single(EventIdRanges.Assemblies, r => r.Owns(block.Owner));
            Assert.True(range.Contains(block.First) && range.Contains(block.Last), $"{block} is outside {range}");
            Assert.DoesNotContain(EventIdRanges.Features, other => other != block && other.First <= block.Last && block.First <= other.Last);
        }
        foreach (var range in EventIdRanges.Assemblies)
            Assert.DoesNotContain(EventIdRanges.Assemblies, other => other != range && other.First <= range.Last && range.First <= other.Last);
    }

    [Fact]
    public void Docs_ObservabilityLogEventIds_ListsEveryRangeAndBlock()
    {
        string text = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "docs", "observability.md"));
        int start = text.IndexOf("\n## Log event ids", StringComparison.Ordinal);
        Assert.True(start >= 0, "docs/observability.md has no section '## Log event ids'");
        int end = text.IndexOf("\n## ", start + 1, StringComparison.Ordinal);
        string section = end < 0 ? text[start..] : text[start..end];
        foreach (var block in EventIdRanges.Assemblies.Concat(EventIdRanges.Features))
            Assert.Contains($"| {block.First}-{block.Last} | `{block.Owner}` |", section);
    }
}
