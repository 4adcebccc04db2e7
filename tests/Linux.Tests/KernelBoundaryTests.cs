using System.Text.RegularExpressions;
using Replicator.TestSupport;

namespace Replicator.Linux.Tests;

/// <summary>Linux/ is the only code that talks to the kernel: no other project declares a P/Invoke or opens a netlink socket.</summary>
public sealed partial class KernelBoundaryTests
{
    [Theory]
    [InlineData("Protocol")]
    [InlineData("Hosting")]
    [InlineData("ServiceNode")]
    [InlineData("RegistrationDaemon")]
    [InlineData("tests/TestSupport")]
    public void Sources_OutsideLinux_DeclareNoPInvokeAndOpenNoNetlinkSocket(string project)
    {
        var offenders = Directory.EnumerateFiles(Path.Combine(RepositoryRoot.Path, project), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}") && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}"))
            .SelectMany(f => File.ReadLines(f).Select((line, i) => (File: f, Line: i + 1, Text: line)))
            .Where(l => KernelFacing().IsMatch(l.Text))
            .Select(l => $"{Path.GetRelativePath(RepositoryRoot.Path, l.File)}:{l.Line}: {l.Text.Trim()}")
            .ToList();
        Assert.True(offenders.Count == 0, string.Join('\n', offenders));
    }

    [GeneratedRegex(@"\b(LibraryImport|DllImport|AF_NETLINK|NETLINK_ROUTE)\b")]
    private static partial Regex KernelFacing();
}
