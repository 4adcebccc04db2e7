using Replicator.ServiceNode.Cluster;

namespace Replicator.ServiceNode.Tests.Cluster;

public sealed class ClusterStatusTextTests
{
    [Fact]
    public void Write_SingleNodeWithoutAnycast_WritesNothing()
    {
        var output = new StringWriter();
        ClusterStatusText.Write(output, new ClusterStatusResponse(true, "vxsnd@x", null, false, null, 0, 0, 0, 15, []));
        Assert.Equal("", output.ToString());
    }

    [Fact]
    public void Write_Peers_OneRowEachWithReachabilityAndLastSync()
    {
        var at = new DateTimeOffset(2026, 11, 22, 4, 0, 0, TimeSpan.Zero);
        var output = new StringWriter();
        ClusterStatusText.Write(output, new ClusterStatusResponse(true, "vxsnd@x", "203.0.113.100", true, null, 6, 4, 10, 15,
        [
            new PeerStatus("198.51.100.6", "198.51.100.6:10001", "198.51.100.6:10002", true, 0.4, at, 3, null),
            new PeerStatus("198.51.100.10", "198.51.100.10:10001", "198.51.100.10:10002", false, null, at, 0, "cannot connect: ConnectionRefused"),
        ]));
        string text = output.ToString();
        Assert.Contains("203.0.113.100 on lo", text, StringComparison.Ordinal);
        Assert.Contains("6 sent, 4 received", text, StringComparison.Ordinal);
        var rows = text.Split('\n').Where(l => l.StartsWith("198.51.100.", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, rows.Count);
        Assert.Contains("yes", rows[0], StringComparison.Ordinal);
        Assert.Contains("0.4s ago", rows[0], StringComparison.Ordinal);
        Assert.Contains("2026-11-22T04:00:00Z 3 entries", rows[0], StringComparison.Ordinal);
        Assert.Contains("never", rows[1], StringComparison.Ordinal);
        Assert.Contains("failed: cannot connect", rows[1], StringComparison.Ordinal);
    }
}
