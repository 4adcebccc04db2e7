using System.Text.RegularExpressions;

namespace Replicator.Hosting.Deploy.Tests;

/// <summary>
/// No document or comment points at a file that does not exist. The manual is every markdown file
/// of the repository (README.md, docs/, Protocol/PROTOCOL.md, deploy/): its relative links resolve
/// to a file (and to a heading when they carry an anchor), the repository paths it puts in code
/// spans exist, and comments in code and scripts name only markdown files that exist. Absolute
/// paths are paths on the target machine, never checked.
/// </summary>
public sealed partial class DocumentationReferencesTests
{
    /// <summary>Extensions that make a code span a file name even without a folder.</summary>
    private static readonly string[] KnownExtensions = [".cs", ".md", ".sh", ".json", ".service", ".csproj", ".props", ".yml", ".py"];

    /// <summary>Files of other repositories that comments name on purpose, with the reason.</summary>
    private static readonly Dictionary<string, string> OtherRepositories = new(StringComparer.Ordinal)
    {
        ["spec.md"] = "the MessagePack specification, msgpack/msgpack's spec.md",
    };

    /// <summary>Where packages install the documentation; systemd units name the shipped files under it.</summary>
    private const string InstalledDocs = "file:///usr/share/doc/replicator/";

    private static readonly Lazy<RepositoryFiles> Repository = new(RepositoryFiles.Load);

    [Fact]
    public void MarkdownLinks_EveryDocument_ResolveToFilesAndHeadings()
    {
        var problems = new List<string>();
        foreach (var doc in Manual())
        {
            foreach (var (line, target) in doc.Links())
            {
                if (Scheme().IsMatch(target)) continue; // https:, mailto:: not in the repository
                int hash = target.IndexOf('#');
                string file = Uri.UnescapeDataString(hash < 0 ? target : target[..hash]);
                string? anchor = hash < 0 ? null : target[(hash + 1)..];
                string? path = file.Length == 0 ? doc.Path : RepositoryFiles.Combine(RepositoryFiles.FolderOf(doc.Path), file);
                if (path is null || file.StartsWith('/') || !Repository.Value.Exists(path))
                {
                    problems.Add($"{doc.Path}:{line}: link ({target}): {file} does not exist");
                    continue;
                }
                if (anchor is null) continue;
                if (!path.EndsWith(".md", StringComparison.Ordinal))
                {
                    problems.Add($"{doc.Path}:{line}: link ({target}): #{anchor} on a file that is not markdown");
                }
                else if (!Document(path).Anchors.Contains(anchor))
                {
                    problems.Add($"{doc.Path}:{line}: link ({target}): {path} has no heading #{anchor}");
                }
            }
        }

        AssertNone(problems);
    }

    [Fact]
    public void CodeSpanPaths_EveryDocument_Exist()
    {
        var problems = new List<string>();
        var topLevel = Repository.Value.TopLevelFolders.ToHashSet(StringComparer.Ordinal);
        foreach (var doc in Manual())
        {
            foreach (var (line, code) in doc.CodeSpans())
            {
                if (!LooksLikeRepositoryPath(code, topLevel)) continue;
                string path = code.TrimEnd('/');
                if (!Resolves(path, RepositoryFiles.FolderOf(doc.Path)))
                    problems.Add($"{doc.Path}:{line}: `{code}` does not exist (from the root or from {RepositoryFiles.FolderOf(doc.Path)}/)");
            }
        }

        AssertNone(problems);
    }

    [Fact]
    public void Comments_CodeAndScripts_NameExistingMarkdownFiles()
    {
        var problems = new List<string>();
        foreach (string file in Repository.Value.Files.Where(IsCodeOrScript).Order(StringComparer.Ordinal))
        {
            string[] lines = Repository.Value.ReadAllText(file).Split('\n');
            for (int i = 0; i < lines.Length; i++)
            {
                string? comment = CommentOf(file, lines[i]);
                if (comment is null) continue;
                foreach (Match m in MarkdownFileName().Matches(comment))
                {
                    string name = m.Value;
                    if (OtherRepositories.ContainsKey(name)) continue;
                    if (!Resolves(name, RepositoryFiles.FolderOf(file)))
                        problems.Add($"{file}:{i + 1}: the comment names {name}, which does not exist");
                }
            }
        }

        AssertNone(problems);
    }

    [Fact]
    public void SystemdUnits_DocumentationEntries_NameShippedDocuments()
    {
        var problems = new List<string>();
        foreach (string unit in Repository.Value.Files.Where(f => f.StartsWith("deploy/", StringComparison.Ordinal) && f.EndsWith(".service", StringComparison.Ordinal)))
        {
            string[] lines = Repository.Value.ReadAllText(unit).Split('\n');
            for (int i = 0; i < lines.Length; i++)
            {
                if (!lines[i].StartsWith("Documentation=", StringComparison.Ordinal)) continue;
                foreach (string entry in lines[i]["Documentation=".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries))
                {
                    if (!entry.StartsWith(InstalledDocs, StringComparison.Ordinal)) continue; // man:, https:
                    string path = entry[InstalledDocs.Length..];
                    if (!Repository.Value.Exists(path)) problems.Add($"{unit}:{i + 1}: Documentation names {path}, which does not exist");
                }
            }
        }

        AssertNone(problems);
    }

    [Theory]
    [InlineData("Return routability", "return-routability")]
    [InlineData("No amplification from unauthenticated sources", "no-amplification-from-unauthenticated-sources")]
    [InlineData("`vxsnd fdb`: static entries", "vxsnd-fdb-static-entries")]
    [InlineData("One BUM datagram through vxsnd", "one-bum-datagram-through-vxsnd")]
    [InlineData("vxrd: the peer list becomes kernel entries", "vxrd-the-peer-list-becomes-kernel-entries")]
    [InlineData("Keys and rotation (`KeyFile`)", "keys-and-rotation-keyfile")]
    [InlineData("See [the lab](lab.md), step 2", "see-the-lab-step-2")]
    public void Slug_Heading_IsGitHubsAnchor(string heading, string expected)
    {
        Assert.Equal(expected, MarkdownDocument.Slug(heading));
    }

    [Fact]
    public void Anchors_RepeatedHeading_AreNumbered()
    {
        var doc = new MarkdownDocument("x.md", "# Metrics\n\n```\n# Metrics\n```\n## Metrics\n### Metrics\n");

        Assert.Equal(new[] { "metrics", "metrics-1", "metrics-2" }, doc.Anchors.Order());
    }

    [Theory]
    [InlineData("Linux/Native/", true)]
    [InlineData("tests/run.sh", true)]
    [InlineData(".ci/run", true)]
    [InlineData("vxrd.json", true)]
    [InlineData("Nl.*.cs", true)]
    [InlineData("Hosting/Addressing/AddressPolicy", true)]
    [InlineData("/etc/replicator/keys", false)]
    [InlineData("/run/vxsnd.sock", false)]
    [InlineData("ServiceNode:ControlPort", false)]
    [InlineData("recvmmsg/sendmmsg", false)]
    [InlineData("vxsnd.dll", false)]
    [InlineData("HoldTime / RefreshRate", false)]
    [InlineData("https://example.com/a.md", false)]
    public void LooksLikeRepositoryPath_Token_OnlyRepositoryPaths(string token, bool expected)
    {
        Assert.Equal(expected, LooksLikeRepositoryPath(token, Repository.Value.TopLevelFolders.ToHashSet(StringComparer.Ordinal)));
    }

    [Theory]
    [InlineData("RegistrationDaemon/Devices/DeviceInventory.Classify")]
    [InlineData("Hosting/Addressing/AddressPolicy")]
    [InlineData("deploy/systemd/*.json")]
    [InlineData("Nl.*.cs")]
    [InlineData("security.md")]
    public void Resolves_TypesMembersGlobsAndNames_Found(string token)
    {
        Assert.True(Resolves(token, "docs"));
    }

    [Theory]
    [InlineData("RegistrationDaemon/Kernel/NetlinkSocket.cs")]
    [InlineData("docs/readme/hardening.md")]
    [InlineData("ServiceNode/Registry/NoSuchType.Member")]
    [InlineData("NoSuchFile.md")]
    public void Resolves_MissingFiles_NotFound(string token)
    {
        Assert.False(Resolves(token, "docs"));
    }

    /// <summary>Every markdown file of the checkout, the manual included (guards against an empty scan).</summary>
    private static List<MarkdownDocument> Manual()
    {
        var docs = Repository.Value.Files.Where(f => f.EndsWith(".md", StringComparison.Ordinal)).Order(StringComparer.Ordinal).Select(Document).ToList();
        Assert.Contains(docs, d => d.Path == "README.md");
        Assert.Contains(docs, d => d.Path == "docs/architecture.md");
        Assert.Contains(docs, d => d.Path == "Protocol/PROTOCOL.md");
        return docs;
    }

    private static MarkdownDocument Document(string path) => new(path, Repository.Value.ReadAllText(path));

    /// <summary>
    /// A code span is a repository path when it is a plain path (no spaces, colons or leading
    /// <c>/</c>) that starts at a top-level folder of the checkout, or ends in a known extension.
    /// </summary>
    private static bool LooksLikeRepositoryPath(string code, IReadOnlySet<string> topLevel)
    {
        if (!PathToken().IsMatch(code)) return false;
        string first = code.Split('/')[0];
        return topLevel.Contains(first) || KnownExtensions.Any(e => code.EndsWith(e, StringComparison.Ordinal));
    }

    /// <summary>
    /// Whether <paramref name="path"/> names something of the checkout: from the root or from
    /// <paramref name="folder"/>; with wildcards, anything matching; a type or member named by its
    /// file's path (<c>Hosting/Addressing/AddressPolicy</c>, <c>.../DeviceInventory.Classify</c>);
    /// a bare file name anywhere in the checkout.
    /// </summary>
    private static bool Resolves(string path, string folder)
    {
        var files = Repository.Value;
        bool wildcard = path.Contains('*') || path.Contains('?');
        foreach (string from in new[] { "", folder })
        {
            if (RepositoryFiles.Combine(from, path) is not { Length: > 0 } candidate) continue;
            if (wildcard ? files.AnyMatching(candidate) : files.Exists(candidate)) return true;
            if (wildcard || KnownExtensions.Any(e => candidate.EndsWith(e, StringComparison.Ordinal))) continue;
            for (string type = candidate; ; type = type[..type.LastIndexOf('.')])
            {
                if (files.Exists(type + ".cs")) return true;
                if (type.LastIndexOf('.') <= type.LastIndexOf('/')) break;
            }
        }
        return !path.Contains('/') && files.AnyNamed(path);
    }

    private static bool IsCodeOrScript(string file) =>
        file.EndsWith(".cs", StringComparison.Ordinal) || file.EndsWith(".sh", StringComparison.Ordinal)
        || file.EndsWith(".py", StringComparison.Ordinal) || file.EndsWith(".yml", StringComparison.Ordinal)
        || file is ".ci/run";

    /// <summary>The comment part of a line, or null: <c>//</c>, <c>/*</c> and <c>*</c> lines in C#, <c>#</c> elsewhere.</summary>
    private static string? CommentOf(string file, string line)
    {
        string trimmed = line.TrimStart();
        if (file.EndsWith(".cs", StringComparison.Ordinal))
        {
            if (trimmed.StartsWith("//", StringComparison.Ordinal) || trimmed.StartsWith("/*", StringComparison.Ordinal) || trimmed.StartsWith('*')) return trimmed;
            int at = line.IndexOf(" //", StringComparison.Ordinal);
            return at < 0 ? null : line[(at + 3)..];
        }
        if (trimmed.StartsWith('#')) return trimmed;
        int hash = line.IndexOf(" #", StringComparison.Ordinal);
        return hash < 0 ? null : line[(hash + 2)..];
    }

    private static void AssertNone(List<string> problems) =>
        Assert.True(problems.Count == 0, $"{problems.Count} broken references:\n" + string.Join('\n', problems));

    [GeneratedRegex(@"^[A-Za-z][A-Za-z0-9+.-]*:")]
    private static partial Regex Scheme();

    [GeneratedRegex(@"^[A-Za-z0-9_.*+-]+(?:/[A-Za-z0-9_.*+-]+)*/?$")]
    private static partial Regex PathToken();

    /// <summary>A markdown file name or path, not part of a URL or of a longer token.</summary>
    [GeneratedRegex(@"(?<![\w/.:-])(?:[\w.-]+/)*[\w-][\w.-]*\.md\b")]
    private static partial Regex MarkdownFileName();
}
