namespace Replicator.TestSupport;

/// <summary>
/// The program a process test runs for a daemon: by default the Release build under <c>dotnet</c>
/// (or its apphost next to the test assembly); when <see cref="BinariesVariable"/> names a folder,
/// the binaries in it. <c>.ci/run</c> points it at the Native AOT binaries taken out of the built
/// packages, so the tests that start daemons as processes run the binaries that ship.
/// </summary>
public static class DaemonExecutable
{
    public const string BinariesVariable = "REPLICATOR_DAEMON_BINARIES";

    /// <summary>The folder of shipped binaries, or null to run the Release build.</summary>
    public static string? BinariesFolder => Environment.GetEnvironmentVariable(BinariesVariable) is { Length: > 0 } dir ? dir : null;

    /// <summary>File and arguments that run <paramref name="dll"/> (a daemon's Release build, e.g. vxsnd.dll) with <paramref name="args"/>.</summary>
    public static (string File, string[] Arguments) ForDll(string dll, IEnumerable<string> args)
    {
        ArgumentNullException.ThrowIfNull(dll);
        ArgumentNullException.ThrowIfNull(args);
        if (BinariesFolder is { } dir) return (Shipped(dir, Path.GetFileNameWithoutExtension(dll)), [.. args]);
        // The dotnet running the tests, when that is what runs them: the same runtime for the daemon.
        string dotnet = Environment.ProcessPath is { } p && Path.GetFileNameWithoutExtension(p) == "dotnet" ? p : "dotnet";
        return (dotnet, [dll, .. args]);
    }

    /// <summary>The daemon <paramref name="name"/> (vxsnd, vxrd): the shipped binary, else the apphost copied next to the test assembly.</summary>
    public static string ForName(string name) =>
        BinariesFolder is { } dir ? Shipped(dir, name) : Path.Combine(AppContext.BaseDirectory, name);

    private static string Shipped(string dir, string name)
    {
        string path = Path.Combine(dir, name);
        if (!File.Exists(path)) throw new FileNotFoundException($"{path} is missing ({BinariesVariable}={dir})");
        return path;
    }
}
