using System.Text.RegularExpressions;

namespace Replicator.Hosting.Deploy.Tests;

/// <summary>
/// Every file and folder of the checkout (build output, <c>.git</c> and test results left out), by
/// path relative to the root with <c>/</c> separators, for checking the paths documents name.
/// </summary>
internal sealed class RepositoryFiles
{
    private static readonly HashSet<string> Skipped = ["bin", "obj", ".git", "TestResults"];

    private readonly HashSet<string> _files = new(StringComparer.Ordinal);
    private readonly HashSet<string> _folders = new(StringComparer.Ordinal);

    private RepositoryFiles(string root)
    {
        Root = root;
        Walk(new DirectoryInfo(root), "");
    }

    public static RepositoryFiles Load() => new(RepositoryPaths.Root);

    public string Root { get; }

    public IEnumerable<string> Files => _files;

    /// <summary>The folders at the root (<c>Protocol</c>, <c>docs</c>, <c>.ci</c>, ...).</summary>
    public IEnumerable<string> TopLevelFolders => _folders.Where(f => !f.Contains('/'));

    public string ReadAllText(string path) => File.ReadAllText(Path.Combine(Root, path));

    /// <summary>A file or folder at <paramref name="path"/> (relative to the root, already normalised).</summary>
    public bool Exists(string path) => _files.Contains(path) || _folders.Contains(path);

    /// <summary>Some file or folder matches <paramref name="glob"/> (<c>*</c> and <c>?</c> within one path segment).</summary>
    public bool AnyMatching(string glob)
    {
        var regex = new Regex("^" + Regex.Escape(glob).Replace(@"\*", "[^/]*").Replace(@"\?", "[^/]") + "$");
        return _files.Any(regex.IsMatch) || _folders.Any(regex.IsMatch);
    }

    /// <summary>Some file anywhere has the name <paramref name="nameGlob"/> (a bare file name, wildcards allowed).</summary>
    public bool AnyNamed(string nameGlob)
    {
        var regex = new Regex("^" + Regex.Escape(nameGlob).Replace(@"\*", "[^/]*").Replace(@"\?", "[^/]") + "$");
        return _files.Any(f => regex.IsMatch(f[(f.LastIndexOf('/') + 1)..]));
    }

    /// <summary>
    /// <paramref name="relative"/> taken from folder <paramref name="from"/> ("" for the root), with
    /// <c>.</c> and <c>..</c> segments resolved; null when it climbs out of the checkout.
    /// </summary>
    public static string? Combine(string from, string relative)
    {
        var segments = new List<string>();
        foreach (string segment in $"{from}/{relative}".Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (segment == ".") continue;
            if (segment != "..") segments.Add(segment);
            else if (segments.Count == 0) return null;
            else segments.RemoveAt(segments.Count - 1);
        }
        return string.Join('/', segments);
    }

    /// <summary>The folder of a file path ("" at the root).</summary>
    public static string FolderOf(string path) => path.LastIndexOf('/') is var i and >= 0 ? path[..i] : "";

    private void Walk(DirectoryInfo folder, string prefix)
    {
        foreach (var file in folder.EnumerateFiles()) _files.Add(prefix + file.Name);
        foreach (var sub in folder.EnumerateDirectories())
        {
            if (Skipped.Contains(sub.Name) || sub.LinkTarget is not null) continue;
            _folders.Add(prefix + sub.Name);
            Walk(sub, prefix + sub.Name + "/");
        }
    }
}
