using System.Text.Json;

namespace Replicator.Hosting.Deploy.Tests;

public class GrafanaDashboardTests
{
    private static JsonDocument Load() => JsonDocument.Parse(File.ReadAllText(RepositoryPaths.Deploy("grafana", "replicator.json")));

    private static IEnumerable<JsonElement> Panels(JsonDocument doc) => doc.RootElement.GetProperty("panels").EnumerateArray();

    private static IEnumerable<string> Expressions(JsonDocument doc) =>
        Panels(doc).Where(p => p.TryGetProperty("targets", out _))
            .SelectMany(p => p.GetProperty("targets").EnumerateArray())
            .Select(t => t.GetProperty("expr").GetString()!);

    [Fact]
    public void Dashboard_Expressions_ReferenceOnlyKnownMetrics()
    {
        using var doc = Load();

        var unknown = Expressions(doc).SelectMany(KnownMetrics.Referenced).Where(n => !KnownMetrics.Names.Contains(n)).Distinct().ToList();

        Assert.Empty(unknown);
    }

    [Theory]
    [InlineData("Replication rate", "vxsnd_copies_sent_total")]
    [InlineData("Fan-out (copies per datagram)", "vxsnd_datagrams_received_total")]
    [InlineData("Drops and errors", "vxsnd_datagrams_dropped_total")]
    [InlineData("Registry size by source", "vxsnd_registry_entries")]
    [InlineData("Daemons up (scrape succeeds)", "up")]
    [InlineData("Daemons ready (/readyz)", "vxrd_ready")]
    public void Dashboard_RequiredPanel_QueriesItsMetric(string title, string metric)
    {
        using var doc = Load();

        var panel = Panels(doc).Single(p => p.GetProperty("title").GetString() == title);

        Assert.Contains(panel.GetProperty("targets").EnumerateArray(), t => KnownMetrics.Referenced(t.GetProperty("expr").GetString()!).Contains(metric));
    }

    [Fact]
    public void Dashboard_PanelsHaveUniqueIdsAndTheDatasourceVariable()
    {
        using var doc = Load();
        var panels = Panels(doc).ToList();

        Assert.Equal(panels.Count, panels.Select(p => p.GetProperty("id").GetInt32()).Distinct().Count());
        Assert.All(panels.Where(p => p.GetProperty("type").GetString() != "row"),
            p => Assert.Equal("${datasource}", p.GetProperty("datasource").GetProperty("uid").GetString()));
    }
}
