using Replicator.RegistrationDaemon.Daemon;
using Replicator.RegistrationDaemon.Management;

namespace Replicator.RegistrationDaemon.Tests.Management;

public sealed class RegistrationManagementEndpointsTests
{
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
        Assert.Equal(Hosting.DaemonVersion.Current, status.Version);
    }
}
