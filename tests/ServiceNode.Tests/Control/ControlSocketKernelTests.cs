using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using Replicator.ServiceNode.Control;
using Replicator.TestSupport;

namespace Replicator.ServiceNode.Tests.Control;

/// <summary>
/// With <c>InstallAnycast</c> the anycast address appears on the loopback only once the node is
/// ready, after the control sockets are bound: the anycast socket must bind before the address
/// exists (IP_FREEBIND) and work once it does, on both address families (also when the node's own
/// address is of the other family).
/// </summary>
[Collection(KernelCollection.Name)]
public sealed class ControlSocketKernelTests
{
    [KernelTheory]
    [InlineData("127.0.0.1", "203.0.113.77", 32)]
    [InlineData("::1", "2001:db8:ffff::77", 128)]
    [InlineData("::1", "203.0.113.77", 32)]
    public void Bind_AnycastNotYetLocal_BindsThenReceivesAndAnswersFromItOnceAdded(string controlAddress, string anycastText, int prefixLength)
    {
        using var ns = NetworkNamespace.Create("ctlfb");
        var anycast = IPAddress.Parse(anycastText);
        using var control = new ControlSocket(NullLogger<ControlSocket>.Instance);
        NamespaceThread.Run(ns.Name, () => { control.Bind(IPAddress.Parse(controlAddress), 0, anycast); return 0; });
        Assert.Equal(anycast, control.AnycastEndPoint!.Address);

        string[] add = ["addr", "add", $"{anycast}/{prefixLength}", "dev", "lo"];
        ns.Exec("ip", anycast.AddressFamily == AddressFamily.InterNetworkV6 ? [.. add, "nodad"] : add);
        using var vtep = NamespaceThread.Run(ns.Name, () =>
        {
            var s = new Socket(anycast.AddressFamily, SocketType.Dgram, ProtocolType.Udp) { ReceiveTimeout = 30_000 };
            s.Bind(new IPEndPoint(anycast.AddressFamily == AddressFamily.InterNetwork ? IPAddress.Loopback : IPAddress.IPv6Loopback, 0));
            return s;
        });
        vtep.SendTo([1], control.AnycastEndPoint);
        var buffer = new byte[16];
        control.AnycastSocket!.ReceiveTimeout = 30_000; // generous: the datagram is on loopback, but a busy machine may take seconds to run us
        Assert.Equal(1, control.AnycastSocket.Receive(buffer));

        Assert.True(control.Send([2], (IPEndPoint)vtep.LocalEndPoint!, ControlSource.Anycast));
        EndPoint from = new IPEndPoint(anycast.AddressFamily == AddressFamily.InterNetwork ? IPAddress.Any : IPAddress.IPv6Any, 0);
        Assert.Equal(1, vtep.ReceiveFrom(buffer, ref from));
        Assert.Equal(control.AnycastEndPoint, from);
    }
}
