using System.CommandLine;
using Replicator.RegistrationDaemon.Management.Cli;
using Replicator.TestSupport.Docs;

namespace Replicator.RegistrationDaemon.Tests.Docs;

/// <summary>
/// docs/cli.md lists exactly the commands of vxrd's command line, and for each exactly its options
/// and arguments (walked from <see cref="RegistrationDaemonCommandLine.Create"/>'s root).
/// </summary>
public sealed class CliReferenceTests
{
    [Fact]
    public void Reference_CommandsOptionsAndArguments_AreTheCommandLines()
    {
        var root = RegistrationDaemonCommandLine.Create((_, _, _) => Task.FromResult(0));
        var declared = new SortedDictionary<string, IReadOnlySet<string>>(StringComparer.Ordinal);
        Walk(RegistrationDaemonCommandLine.ToolName, root, declared);

        var errors = CliReference.Differences(declared, CliReference.Documented(RegistrationDaemonCommandLine.ToolName));

        ReferenceTables.AssertNone(errors);
        Assert.Contains("keygen", declared.Keys.Select(k => k.Split(' ').Last()));
    }

    private static void Walk(string path, Command command, SortedDictionary<string, IReadOnlySet<string>> result)
    {
        var members = new HashSet<string>(StringComparer.Ordinal);
        foreach (var option in command.Options) members.Add(option.Name);
        foreach (var argument in command.Arguments) members.Add(argument.Name);
        result[path] = members;
        foreach (var sub in command.Subcommands) Walk($"{path} {sub.Name}", sub, result);
    }
}
