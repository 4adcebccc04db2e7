using Replicator.ServiceNode.Management.Cli;
using Replicator.TestSupport.Docs;

namespace Replicator.ServiceNode.Tests.Docs;

/// <summary>
/// docs/cli.md lists exactly the commands of vxsnd's command line, and for each exactly its options
/// and arguments (walked from <see cref="ServiceNodeCommandLine.Create"/>'s root).
/// </summary>
public sealed class CliReferenceTests
{
    [Fact]
    public void Reference_CommandsOptionsAndArguments_AreTheCommandLines()
    {
        var declared = CliReference.Declared(ServiceNodeCommandLine.ToolName, ServiceNodeCommandLine.Create((_, _, _) => Task.FromResult(0)));

        var errors = CliReference.Differences(declared, CliReference.Documented(ServiceNodeCommandLine.ToolName));

        ReferenceTables.AssertNone(errors);
        Assert.Contains("keygen", declared.Keys.Select(k => k.Split(' ').Last()));
    }
}
