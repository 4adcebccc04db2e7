using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Replicator.Hosting.Configuration;
using Replicator.ServiceNode.Registry;
using Replicator.ServiceNode.Replication;

namespace Replicator.ServiceNode.Tests.Replication;

public class ReplicationWorkerLoopbackTests
{
    [Fact]
    public void Worker_NodeModeOnLoopback_DeliversCopiesToOtherMembersOnly()
    {
        using var member2 = new UdpClient(new IPEndPoint(IPAddress.Parse("127.0.0.2"), 0));
        int port = ((IPEndPoint)member2.Client.LocalEndPoint!).Port;
        using var member3 = new UdpClient(new IPEndPoint(IPAddress.Parse("127.0.0.3"), port));
        using var sender = new UdpClient(new IPEndPoint(IPAddress.Loopback, port));
        var table = new MemberTable();
        table.Publish(new VniMembers(100, [IPAddress.Loopback, IPAddress.Parse("127.0.0.2"), IPAddress.Parse("127.0.0.3")]));
        var settings = new ReplicationSettings
        {
            DataAddress = IPAddress.Loopback, DataPort = 0, DestinationPort = port, SourceMode = SourceMode.Node, ReceiveBufferBytes = 0,
        };
        using var worker = new ReplicationWorker(0, settings, table, null, null);
        worker.Start();

        var datagram = Datagrams.Vxlan(100, 60);
        sender.Send(datagram, worker.LocalEndPoint);

        member2.Client.ReceiveTimeout = member3.Client.ReceiveTimeout = sender.Client.ReceiveTimeout = 5000;
        IPEndPoint? from = null;
        Assert.Equal(datagram, member2.Receive(ref from));
        Assert.Equal(datagram, member3.Receive(ref from));
        sender.Client.ReceiveTimeout = 300;
        Assert.Throws<SocketException>(() => sender.Receive(ref from)); // never back to the sender
        Assert.Equal(2, worker.Counters.CopiesSent);
    }

    /// <summary>A dual-stack data address ("::") serves the members of both families, as in Preserve mode.</summary>
    [Fact]
    public void Worker_NodeModeDualStack_DeliversToIPv4AndIPv6Members()
    {
        using var member4 = new UdpClient(new IPEndPoint(IPAddress.Parse("127.0.0.2"), 0));
        int port = ((IPEndPoint)member4.Client.LocalEndPoint!).Port;
        using var member6 = new UdpClient(new IPEndPoint(IPAddress.IPv6Loopback, port));
        using var sender = new UdpClient(new IPEndPoint(IPAddress.Loopback, port));
        var table = new MemberTable();
        table.Publish(new VniMembers(100, [IPAddress.Loopback, IPAddress.Parse("127.0.0.2"), IPAddress.IPv6Loopback]));
        var settings = new ReplicationSettings
        {
            DataAddress = IPAddress.IPv6Any, DataPort = 0, DestinationPort = port, SourceMode = SourceMode.Node, ReceiveBufferBytes = 0,
        };
        using var worker = new ReplicationWorker(0, settings, table, null, null);
        worker.Start();

        var datagram = Datagrams.Vxlan(100, 60);
        sender.Send(datagram, new IPEndPoint(IPAddress.Loopback, worker.LocalEndPoint.Port));

        member4.Client.ReceiveTimeout = member6.Client.ReceiveTimeout = 5000;
        IPEndPoint? from = null;
        Assert.Equal(datagram, member4.Receive(ref from));
        Assert.Equal(datagram, member6.Receive(ref from));
        sender.Client.ReceiveTimeout = 300;
        Assert.Throws<SocketException>(() => sender.Receive(ref from)); // never back to the sender
        Assert.Equal(2, worker.Counters.CopiesSent);
    }

    [Fact]
    public void AddReplication_BadConfiguration_FailsWithEveryKey()
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ServiceNode:DataPlane:Port"] = "0",
            ["ServiceNode:DataPlane:Ttl"] = "300",
        }).Build();
        using var provider = new ServiceCollection().AddLogging().AddReplication(config).BuildServiceProvider();
        var e = Assert.Throws<DaemonConfigurationException>(() => DaemonHost.RunStartupChecks(provider));
        Assert.Contains(e.Errors, f => f.StartsWith("ServiceNode:DataPlane:Port = '0': ", StringComparison.Ordinal));
        Assert.Contains(e.Errors, f => f.StartsWith("ServiceNode:DataPlane:Ttl = '300': ", StringComparison.Ordinal));
    }
}
