using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Replicator.Hosting.Metrics;
using Replicator.TestSupport;
using Xunit.Abstractions;

namespace Replicator.Hosting.Tests.Metrics;

/// <summary>
/// <see cref="SocketDrops"/> against the kernel: a socket with a tiny receive buffer, flooded and
/// never read, in a fresh namespace where the namespace's own UdpRcvbufErrors (/proc/net/snmp)
/// counts exactly the drops of that socket: the oracle.
/// </summary>
[Collection(KernelCollection.Name)]
public class SocketDropsTests(ITestOutputHelper output)
{
    [KernelFact]
    public void Read_FloodedSocketWithTinyBuffer_EqualsTheKernelsRcvbufErrors()
    {
        using var ns = NetworkNamespace.Create("sockdrops");
        var (drops, snmp, sent) = ns.Enter(() =>
        {
            long before = RcvbufErrors();
            using var receiver = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            receiver.ReceiveBufferSize = 1; // the kernel's minimum (a few KiB): a handful of datagrams
            receiver.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            SocketDrops.Register("test_flooded", receiver.SafeHandle);
            using var sender = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            var payload = new byte[200];
            for (int i = 0; i < 2000; i++) sender.SendTo(payload, receiver.LocalEndPoint!);
            long drops = SocketDrops.Read()["test_flooded"];
            return (drops, RcvbufErrors() - before, 2000);
        });
        output.WriteLine($"sent {sent}, socket_drops {drops}, UdpRcvbufErrors delta {snmp}");
        Assert.True(drops > 0, "the flood overflowed the buffer");
        Assert.Equal(snmp, drops);
    }

    [KernelFact]
    public void Read_SocketClosed_TotalKeptNeverGoesBack()
    {
        using var ns = NetworkNamespace.Create("sockdrop2");
        var (open, closed) = ns.Enter(() =>
        {
            var receiver = new Socket(AddressFamily.InterNetworkV6, SocketType.Dgram, ProtocolType.Udp);
            receiver.ReceiveBufferSize = 1;
            receiver.Bind(new IPEndPoint(IPAddress.IPv6Loopback, 0));
            SocketDrops.Register("test_closed", receiver.SafeHandle);
            using var sender = new Socket(AddressFamily.InterNetworkV6, SocketType.Dgram, ProtocolType.Udp);
            for (int i = 0; i < 500; i++) sender.SendTo(new byte[200], receiver.LocalEndPoint!);
            long open = SocketDrops.Read()["test_closed"];
            receiver.Dispose();
            return (open, SocketDrops.Read()["test_closed"]);
        });
        output.WriteLine($"drops while open {open}, after close {closed}");
        Assert.True(open > 0);
        Assert.Equal(open, closed);
    }

    /// <summary>Udp RcvbufErrors of the calling thread's namespace.</summary>
    private static long RcvbufErrors()
    {
        var lines = File.ReadAllLines("/proc/thread-self/net/snmp").Where(l => l.StartsWith("Udp:", StringComparison.Ordinal)).ToArray();
        var names = lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var values = lines[1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return long.Parse(values[Array.IndexOf(names, "RcvbufErrors")], CultureInfo.InvariantCulture);
    }
}
