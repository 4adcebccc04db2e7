namespace Replicator.Hosting.Deploy.Tests;

/// <summary>Locates files of the repository from the test binary's directory.</summary>
internal static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    public static string Deploy(params string[] parts) => Path.Combine([Root, "deploy", .. parts]);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Replicator.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"Replicator.sln not found above {AppContext.BaseDirectory}");
    }
}
