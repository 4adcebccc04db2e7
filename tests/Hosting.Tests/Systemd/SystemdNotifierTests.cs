using System.Net.Sockets;
using Replicator.Hosting.Systemd;

namespace Replicator.Hosting.Systemd.Tests;

public class SystemdNotifierTests
{
    [Fact]
    public async Task Notify_PathSocket_DatagramArrives()
    {
        using var socket = NotifySocket.BindPath();
        var notifier = new SystemdNotifier(socket.Name);

        notifier.Notify("READY=1\nSTATUS=ready");

        Assert.Equal("READY=1\nSTATUS=ready", await socket.ReceiveAsync());
    }

    [Fact]
    public async Task Notify_AbstractSocket_DatagramArrives()
    {
        using var socket = NotifySocket.BindAbstract();
        var notifier = new SystemdNotifier(socket.Name);

        notifier.Notify("STOPPING=1");

        Assert.StartsWith("@", socket.Name);
        Assert.Equal("STOPPING=1", await socket.ReceiveAsync());
    }

    [Fact]
    public void Notify_NobodyListening_ThrowsSocketException()
    {
        var notifier = new SystemdNotifier($"/tmp/rpl-obs-absent-{Environment.ProcessId}/notify");

        Assert.ThrowsAny<SocketException>(() => notifier.Notify("READY=1"));
    }

    [Theory]
    [InlineData("relative/path")]
    [InlineData("notify")]
    public void Constructor_NeitherPathNorAbstract_Throws(string name)
    {
        var e = Assert.Throws<ArgumentException>(() => new SystemdNotifier(name));

        Assert.Contains(name, e.Message);
    }
}
