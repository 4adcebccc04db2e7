using System.Globalization;
using System.Net.Sockets;
using Replicator.TestSupport;
using Xunit.Abstractions;

namespace Replicator.ServiceNode.Tests.Hardening;

/// <summary>
/// vxsnd's /metrics reports what the kernel dropped on its sockets: the data socket's receive
/// buffer made tiny, a burst of datagrams, and vxsnd_socket_drops_total equals the namespace's
/// UdpRcvbufErrors (nothing else in the fresh namespace drops).
/// </summary>
[Collection(KernelCollection.Name)]
public class SocketDropsScrapeTests(ITestOutputHelper output)
{
    [KernelFact]
    public async Task Metrics_DataSocketOverflows_SocketDropsEqualKernelRcvbufErrors()
    {
        using var ns = NetworkNamespace.Create("hsockdrop");
        await using var daemon = await VxsndDaemon.StartAsync(ns, "--ServiceNode:Authentication:AllowUnauthenticated=true", "--ServiceNode:DataPlane:ReceiveBufferBytes=1");
        var before = await daemon.ScrapeAsync();
        Assert.Equal(0, before.GetValueOrDefault("vxsnd_socket_drops_total{socket=\"control\"}", -1));
        Assert.Equal(0, before.GetValueOrDefault("vxsnd_socket_drops_total{socket=\"data\"}", -1));
        long snmpBefore = ns.Enter(RcvbufErrors);
        var datagram = new byte[1000];
        datagram[0] = 0x08; // VXLAN I flag, VNI 0
        for (int burst = 0; burst < 20; burst++)
        {
            ns.Enter(() =>
            {
                using var sender = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
                for (int i = 0; i < 500; i++) sender.SendTo(datagram, VxsndDaemon.Data);
                return 0;
            });
            if (ns.Enter(RcvbufErrors) > snmpBefore) break;
        }
        long kernel = ns.Enter(RcvbufErrors) - snmpBefore;
        var after = await daemon.ScrapeAsync();
        double data = after.GetValueOrDefault("vxsnd_socket_drops_total{socket=\"data\"}");
        double all = VxsndDaemon.Sum(after, "vxsnd_socket_drops_total");
        output.WriteLine($"UdpRcvbufErrors delta {kernel}; vxsnd_socket_drops_total data {data}, all sockets {all}");
        Assert.True(kernel > 0, "the burst overflowed the tiny buffer");
        Assert.Equal(kernel, data);
        Assert.Equal(kernel, all);
    }

    private static long RcvbufErrors()
    {
        var lines = File.ReadAllLines("/proc/thread-self/net/snmp").Where(l => l.StartsWith("Udp:", StringComparison.Ordinal)).ToArray();
        var names = lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var values = lines[1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return long.Parse(values[Array.IndexOf(names, "RcvbufErrors")], CultureInfo.InvariantCulture);
    }
}
