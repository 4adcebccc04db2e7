using Replicator.TestSupport;

namespace Replicator.Hosting.Metrics.Tests;

/// <summary>Reads values out of a served exposition, whatever spelling the exporter gives an empty label set.</summary>
internal static class Exposition
{
    /// <summary>The sum of the samples named <paramref name="name"/> whose label set is exactly <paramref name="labels"/> ("" = none; null = any).</summary>
    public static double Value(string exposition, string name, string? labels = "") =>
        Sample.Parse(exposition).Where(s => s.Name == name && (labels is null || s.Labels == labels)).Sum(s => s.Value);

    /// <summary>Every sample named <paramref name="name"/>, label set to value, in exposition order.</summary>
    public static List<KeyValuePair<string, double>> Series(string exposition, string name) =>
        [.. Sample.Parse(exposition).Where(s => s.Name == name).Select(s => new KeyValuePair<string, double>(s.Labels, s.Value))];

    /// <summary>The exposition's lines, without the trailing empty one.</summary>
    public static string[] Lines(string exposition) => exposition.Split('\n', StringSplitOptions.RemoveEmptyEntries);
}
