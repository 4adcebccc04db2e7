using System.CommandLine;
using Replicator.Hosting.Management;
using Replicator.Hosting.Management.Cli;

namespace Replicator.Hosting.Tests.Management;

public sealed class CliCommandLineTests
{
    private static RootCommand Root(string socketDefault)
    {
        var root = new RootCommand("test");
        var status = new Command("status");
        var cli = new DaemonCommandLine("testd", "TestDaemon", socketDefault);
        var socket = cli.SocketOption();
        status.Add(socket);
        status.SetAction(async (parse, ct) =>
        {
            using var client = cli.Client(parse, socket);
            await client.GetAsync<object>("/status", ct);
            return 0;
        });
        root.Add(status);
        return root;
    }

    [Fact]
    public async Task InvokeAsync_DaemonMissing_OneStderrLineExitOne()
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = await CliCommandLine.InvokeAsync(Root("/nonexistent/testd.sock"), ["status"], "testd", stdout, stderr);
        Assert.Equal(1, code);
        Assert.Equal("testd: testd is not running (no management socket at /nonexistent/testd.sock)" + Environment.NewLine, stderr.ToString());
        Assert.Empty(stdout.ToString());
    }

    [Fact]
    public async Task InvokeAsync_UnknownOption_OneStderrLineExitOne()
    {
        var stderr = new StringWriter();
        int code = await CliCommandLine.InvokeAsync(Root("/x"), ["status", "--bogus"], "testd", new StringWriter(), stderr);
        Assert.Equal(1, code);
        Assert.Single(stderr.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("testd: ", stderr.ToString());
    }

    [Fact]
    public void TableWriter_Rows_AlignsColumns()
    {
        var output = new StringWriter();
        TableWriter.Write(output, ["VNI", "ADDRESS"], [["100", "192.0.2.1"], ["16777215", "2001:db8::1"]]);
        Assert.Equal(
            "VNI       ADDRESS\n100       192.0.2.1\n16777215  2001:db8::1\n",
            output.ToString().ReplaceLineEndings("\n"));
    }
}
