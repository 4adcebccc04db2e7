namespace Replicator.Protocol.Tests.Vectors;

/// <summary>Finds files of the source tree from the test binaries (the vectors are not copied to the output).</summary>
internal static class RepositoryFiles
{
    public static string RepositoryRoot => TestSupport.RepositoryRoot.Path;

    public static string VectorsDirectory => Path.Combine(RepositoryRoot, "tests", "Protocol.Tests", "Vectors");

    public static string InteropScript => Path.Combine(VectorsDirectory, "msgpack_interop.py");
    /// <summary>Reads a vector file: hex digits, whitespace ignored, '#' lines are comments.</summary>
    public static byte[] ReadHex(string path)
    {
        var hex = new System.Text.StringBuilder();
        foreach (string line in File.ReadAllLines(path))
        {
            if (line.TrimStart().StartsWith('#')) continue;
            foreach (char c in line) if (!char.IsWhiteSpace(c)) hex.Append(c);
        }
        return Convert.FromHexString(hex.ToString());
    }

    public static void WriteHex(string path, byte[] bytes, string comment)
    {
        using var w = new StreamWriter(path) { NewLine = "\n" };
        foreach (string line in comment.Split('\n')) w.WriteLine("# " + line);
        for (int i = 0; i < bytes.Length; i += 32)
        {
            w.WriteLine(Convert.ToHexStringLower(bytes.AsSpan(i, Math.Min(32, bytes.Length - i))));
        }
    }

    public static IEnumerable<string> HexFiles(string subdirectory) =>
        Directory.GetFiles(Path.Combine(VectorsDirectory, subdirectory), "*.hex").Order(StringComparer.Ordinal);
}
