namespace Replicator.Hosting.Deploy.Tests;

/// <summary>Locates files of the repository from the test binary's directory.</summary>
internal static class RepositoryPaths
{
    public static string Root => TestSupport.RepositoryRoot.Path;

    public static string Deploy(params string[] parts) => Path.Combine([Root, "deploy", .. parts]);
}
