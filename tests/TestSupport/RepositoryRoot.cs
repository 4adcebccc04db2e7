namespace Replicator.TestSupport;

/// <summary>
/// The checkout the tests run from (the folder holding Replicator.sln, found by walking up from
/// the test assembly), so tests can reach scripts, deploy files and the daemons' Release builds.
/// </summary>
public static class RepositoryRoot
{
    private static readonly Lazy<string> Found = new(Find);

    public static string Path => Found.Value;

    /// <summary>A daemon's Release build output, e.g. ("ServiceNode", "vxsnd.dll"); fails with a hint when it was not built.</summary>
    public static string ReleaseDll(string project, string name)
    {
        string path = System.IO.Path.Combine(Path, project, "bin", "Release", "net10.0", name);
        if (!File.Exists(path)) throw new FileNotFoundException($"{path} is missing: build the solution in Release first (tests/run.sh does)");
        return path;
    }

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Replicator.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException($"Replicator.sln not found above {AppContext.BaseDirectory}");
    }
}
