using Replicator.Hosting.Management.Cli;
using Replicator.RegistrationDaemon.Management.Cli;

namespace Replicator.RegistrationDaemon.Tests.Management.Cli;

public sealed class RegistrationDaemonCommandLineTests
{
    /// <summary>Runs the vxrd command line as <c>Program.Main</c> does, with a daemon that must not be started.</summary>
    internal static Task<int> InvokeAsync(IReadOnlyList<string> args, TextWriter output, TextWriter error) =>
        CliCommandLine.InvokeAsync(RegistrationDaemonCommandLine.Create((_, _, _) => throw new InvalidOperationException("the daemon was started")),
            args, RegistrationDaemonCommandLine.ToolName, output, error);

    [Theory]
    [InlineData("status")]
    [InlineData("devices", "--json")]
    [InlineData("peers", "--vni", "100")]
    [InlineData("flush")]
    public async Task InvokeAsync_DaemonNotRunning_OneStderrLineAndExitCode1(params string[] args)
    {
        var (stdout, stderr) = (new StringWriter(), new StringWriter());
        int code = await InvokeAsync([.. args, "--socket", $"/tmp/vxrd-test-absent-{Guid.NewGuid():N}.sock"], stdout, stderr);
        Assert.Equal(1, code);
        var lines = stderr.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var line = Assert.Single(lines);
        Assert.StartsWith("vxrd: vxrd is not running", line);
        Assert.Empty(stdout.ToString());
    }

    [Fact]
    public async Task InvokeAsync_BadVni_OneStderrLineAndExitCode1()
    {
        var (stdout, stderr) = (new StringWriter(), new StringWriter());
        int code = await InvokeAsync(["peers", "--vni", "abc", "--socket", "/tmp/none.sock"], stdout, stderr);
        Assert.Equal(1, code);
        Assert.Single(stderr.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Theory]
    [InlineData(new string[0], null, new string[0])]
    [InlineData(new[] { "--RegistrationDaemon:ServiceNode=203.0.113.1" }, null, new[] { "--RegistrationDaemon:ServiceNode=203.0.113.1" })]
    [InlineData(new[] { "--config", "/etc/replicator/vxrd.json", "--RegistrationDaemon:Mode=ServiceNode" }, "/etc/replicator/vxrd.json", new[] { "--RegistrationDaemon:Mode=ServiceNode" })]
    [InlineData(new[] { "--RegistrationDaemon:Mode", "HeadEnd", "--config=/x.json" }, "/x.json", new[] { "--RegistrationDaemon:Mode", "HeadEnd" })]
    public async Task Create_NoSubcommand_RunsTheDaemonWithConfigFileAndOverrides(string[] args, string? configFile, string[] overrides)
    {
        (string? File, IReadOnlyList<string> Args)? ran = null;
        var root = RegistrationDaemonCommandLine.Create((file, rest, _) =>
        {
            ran = (file, [.. rest]);
            return Task.FromResult(7);
        });
        int code = await CliCommandLine.InvokeAsync(root, args, "vxrd", new StringWriter(), new StringWriter());
        Assert.Equal(7, code);
        Assert.NotNull(ran);
        Assert.Equal(configFile, ran.Value.File);
        Assert.Equal(overrides, ran.Value.Args);
    }

    [Theory]
    [InlineData("status")]
    [InlineData("flush")]
    [InlineData("keygen", "--help")]
    [InlineData("--help")]
    [InlineData("--version")]
    public async Task Create_Subcommand_DoesNotRunTheDaemon(params string[] args)
    {
        bool ran = false;
        var root = RegistrationDaemonCommandLine.Create((_, _, _) => { ran = true; return Task.FromResult(0); });
        await CliCommandLine.InvokeAsync(root, [.. args, .. args[0] is "status" or "flush" ? ["--socket", "/tmp/none.sock"] : Array.Empty<string>()],
            "vxrd", new StringWriter(), new StringWriter());
        Assert.False(ran);
    }

    [Fact]
    public async Task InvokeAsync_ConfigWithoutFile_OneStderrLineAndExitCode1()
    {
        var stderr = new StringWriter();
        int code = await InvokeAsync(["--config"], new StringWriter(), stderr);
        Assert.Equal(1, code);
        Assert.StartsWith("vxrd: ", Assert.Single(stderr.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries)));
    }
}
