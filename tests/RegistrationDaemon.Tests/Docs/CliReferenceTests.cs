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
        var declared = CliReference.Declared(RegistrationDaemonCommandLine.ToolName, RegistrationDaemonCommandLine.Create((_, _, _) => Task.FromResult(0)));

        var errors = CliReference.Differences(declared, CliReference.Documented(RegistrationDaemonCommandLine.ToolName));

        ReferenceTables.AssertNone(errors);
        Assert.Contains("keygen", declared.Keys.Select(k => k.Split(' ').Last()));
    }
}
