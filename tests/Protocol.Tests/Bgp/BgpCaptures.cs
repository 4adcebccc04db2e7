using Replicator.TestSupport;

namespace Replicator.Protocol.Tests.Bgp;

/// <summary>The messages FRR 8.4 and GoBGP 3.10 sent in the lab's namespaces (Captures/*.hex, see its README), by file name without extension.</summary>
internal static class BgpCaptures
{
    private static readonly Lazy<IReadOnlyDictionary<string, byte[]>> Loaded = new(Load);

    public static IReadOnlyDictionary<string, byte[]> All => Loaded.Value;

    public static byte[] Get(string name) => All[name];

    public static TheoryData<string> Names => [.. All.Keys.Order(StringComparer.Ordinal)];

    private static IReadOnlyDictionary<string, byte[]> Load()
    {
        string directory = Path.Combine(RepositoryRoot.Path, "tests", "Protocol.Tests", "Bgp", "Captures");
        return Directory.GetFiles(directory, "*.hex").ToDictionary(
            f => Path.GetFileNameWithoutExtension(f),
            f => Convert.FromHexString(string.Concat(File.ReadLines(f).Where(l => !l.StartsWith('#')).Select(l => l.Trim()))));
    }
}
