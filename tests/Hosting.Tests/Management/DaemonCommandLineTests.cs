using System.CommandLine;
using Replicator.Hosting.Management.Cli;

namespace Replicator.Hosting.Tests.Management;

public sealed class DaemonCommandLineTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("daemon-cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>A root with one subcommand <c>where</c> that prints the socket it would talk to.</summary>
    private static RootCommand Root(DaemonRun run)
    {
        var cli = new DaemonCommandLine("testd", "TestDaemon", "/run/testd.sock");
        var socket = cli.SocketOption();
        var where = new Command("where") { socket };
        where.SetAction(parse => parse.InvocationConfiguration.Output.WriteLine(cli.SocketPath(parse, socket)));
        return cli.CreateRoot("testd", run, where);
    }

    private static async Task<string> Where(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = await CliCommandLine.InvokeAsync(Root((_, _, _) => Task.FromResult(99)), ["where", .. args], "testd", output, error);
        Assert.True(code == 0, error.ToString());
        return output.ToString().Trim();
    }

    [Fact]
    public async Task SocketPath_NothingGiven_Default()
    {
        Assert.Equal("/run/testd.sock", await Where());
    }

    [Fact]
    public async Task SocketPath_ConfigFile_ItsManagementSocket()
    {
        string file = Path.Combine(_dir, "testd.json");
        await File.WriteAllTextAsync(file, """{ "TestDaemon": { "ManagementSocket": "/tmp/from-file.sock" } }""");
        Assert.Equal("/tmp/from-file.sock", await Where("--config", file));
    }

    [Fact]
    public async Task SocketPath_ConfigBeforeSubcommand_ItsManagementSocket()
    {
        string file = Path.Combine(_dir, "testd.json");
        await File.WriteAllTextAsync(file, """{ "TestDaemon": { "ManagementSocket": "/tmp/from-file.sock" } }""");
        var output = new StringWriter();
        int code = await CliCommandLine.InvokeAsync(Root((_, _, _) => Task.FromResult(99)), ["--config", file, "where"], "testd", output, new StringWriter());
        Assert.Equal(0, code);
        Assert.Equal("/tmp/from-file.sock", output.ToString().Trim());
    }

    [Fact]
    public async Task SocketPath_SocketOption_WinsOverConfigFile()
    {
        string file = Path.Combine(_dir, "testd.json");
        await File.WriteAllTextAsync(file, """{ "TestDaemon": { "ManagementSocket": "/tmp/from-file.sock" } }""");
        Assert.Equal("/tmp/given.sock", await Where("--config", file, "--socket", "/tmp/given.sock"));
    }

    [Fact]
    public async Task SocketPath_MissingConfigFile_OneStderrLineExitOne()
    {
        var error = new StringWriter();
        int code = await CliCommandLine.InvokeAsync(Root((_, _, _) => Task.FromResult(99)), ["where", "--config", Path.Combine(_dir, "absent.json")], "testd", new StringWriter(), error);
        Assert.Equal(1, code);
        Assert.StartsWith("testd: ", Assert.Single(error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries)));
    }

    [Fact]
    public async Task CreateRoot_NoSubcommand_RunsTheDaemonWithFileAndOverrides()
    {
        (string? File, string[] Args) ran = (null, []);
        int code = await CliCommandLine.InvokeAsync(
            Root((file, rest, _) => { ran = (file, [.. rest]); return Task.FromResult(3); }),
            ["--TestDaemon:A=1", "--config", "/etc/testd.json", "--TestDaemon:B", "2"], "testd", new StringWriter(), new StringWriter());
        Assert.Equal(3, code);
        Assert.Equal("/etc/testd.json", ran.File);
        Assert.Equal(["--TestDaemon:A=1", "--TestDaemon:B", "2"], ran.Args);
    }

    [Fact]
    public async Task CreateRoot_UnknownOptionOfSubcommand_OneStderrLineExitOne()
    {
        var error = new StringWriter();
        int code = await CliCommandLine.InvokeAsync(Root((_, _, _) => Task.FromResult(99)), ["where", "--bogus"], "testd", new StringWriter(), error);
        Assert.Equal(1, code);
        Assert.StartsWith("testd: ", Assert.Single(error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries)));
    }
}
