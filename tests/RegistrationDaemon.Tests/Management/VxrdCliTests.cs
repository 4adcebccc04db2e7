using Replicator.RegistrationDaemon.Daemon;
using Replicator.RegistrationDaemon.Management;

namespace Replicator.RegistrationDaemon.Tests.Management;

public sealed class VxrdCliTests
{
    [Theory]
    [InlineData("status")]
    [InlineData("devices", "--json")]
    [InlineData("peers", "--vni", "100")]
    [InlineData("flush")]
    public async Task RunAsync_DaemonNotRunning_OneStderrLineAndExitCode1(params string[] args)
    {
        var (stdout, stderr) = (new StringWriter(), new StringWriter());
        int code = await VxrdCli.RunAsync([.. args, "--socket", $"/tmp/vxrd-test-absent-{Guid.NewGuid():N}.sock"], stdout, stderr);
        Assert.Equal(1, code);
        var lines = stderr.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var line = Assert.Single(lines);
        Assert.StartsWith("vxrd: vxrd is not running", line);
        Assert.Empty(stdout.ToString());
    }

    [Fact]
    public async Task RunAsync_BadVni_OneStderrLineAndExitCode1()
    {
        var (stdout, stderr) = (new StringWriter(), new StringWriter());
        int code = await VxrdCli.RunAsync(["peers", "--vni", "abc", "--socket", "/tmp/none.sock"], stdout, stderr);
        Assert.Equal(1, code);
        Assert.Single(stderr.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Theory]
    [InlineData(true, "status")]
    [InlineData(true, "flush")]
    [InlineData(true, "keygen")]
    [InlineData(false, "--RegistrationDaemon:ServiceNode=203.0.113.1")]
    [InlineData(false, "--config")]
    public void IsCliCommand_FirstArgument_DecidesBetweenCliAndDaemon(bool cli, string first) =>
        Assert.Equal(cli, VxrdCli.IsCliCommand([first]));

    [Fact]
    public void Status_Snapshot_CountsPeersWithoutSelf()
    {
        var now = DateTimeOffset.UnixEpoch.AddDays(1);
        var snapshot = new DaemonSnapshot("HeadEnd", "203.0.113.1", 10001, "Reachable", true, now.AddSeconds(-3), 3, now, 90, 3, 10, false,
            now.AddMinutes(-1), now,
            [new DeviceView("vxlan100", 4, true, 100, "192.0.2.11", null, true, true, "managed", ["192.0.2.12"])],
            [new PeerView(100, "192.0.2.11", true, false), new PeerView(100, "192.0.2.12", false, true)], 1);
        var status = RegistrationManagementEndpoints.Status(snapshot, now);
        Assert.Equal(1, status.Peers);
        Assert.Equal(1, status.DevicesManaged);
        Assert.Equal(1, status.DefaultEntries);
        Assert.Equal(3, status.LastContactAgeSeconds);
        Assert.Equal(60, status.UptimeSeconds);
    }
}
