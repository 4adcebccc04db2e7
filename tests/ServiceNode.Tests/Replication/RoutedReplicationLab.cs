using System.Net;
using Replicator.TestSupport;

namespace Replicator.ServiceNode.Tests.Replication;

/// <summary>
/// A routed underlay: the service node and a sending VTEP on a left LAN (bridge in its own namespace), a
/// receiving VTEP on a right LAN, and two routers joining the LANs. The service node reaches the right LAN
/// via router 1 (<see cref="MoveRouteToRouter2"/> moves it). IPv4 192.0.2.0/24 and 198.51.100.0/24, or IPv6
/// 2001:db8:1::/64 and 2001:db8:2::/64. Everything is torn down on dispose.
/// </summary>
internal sealed class RoutedReplicationLab : IDisposable
{
    private readonly List<NetworkNamespace> _namespaces = [];

    public RoutedReplicationLab(bool ipv6)
    {
        IPv6 = ipv6;
        try
        {
            var left = Add("rlleft");
            var right = Add("rlright");
            foreach (var lan in new[] { left, right })
            {
                lan.Exec("ip", "link", "add", "br0", "type", "bridge");
                lan.Exec("ip", "link", "set", "br0", "up");
            }
            ServiceNode = Add("rlsn");
            Sender = Add("rlsend");
            Receiver = Add("rlrecv");
            Router1 = Add("rlr1");
            Router2 = Add("rlr2");
            Plug(left, "sn", ServiceNode, "ul0", Left(1));
            Plug(left, "snd", Sender, "ul0", Left(11));
            Plug(right, "rcv", Receiver, "ul0", Right(11));
            foreach (var (router, n) in new[] { (Router1, 2), (Router2, 3) })
            {
                Plug(left, $"r{n}l", router, "left", Left(n));
                Plug(right, $"r{n}r", router, "right", Right(n));
                router.Exec("sysctl", "-qw", ipv6 ? "net.ipv6.conf.all.forwarding=1" : "net.ipv4.ip_forward=1");
            }
            ServiceNode.Exec("ip", "route", "add", RightPrefix, "via", Left(2).ToString());
            Sender.Exec("ip", "route", "add", RightPrefix, "via", Left(2).ToString());
            Receiver.Exec("ip", "route", "add", LeftPrefix, "via", Right(2).ToString());
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public bool IPv6 { get; }
    public NetworkNamespace ServiceNode { get; }
    public NetworkNamespace Sender { get; }
    public NetworkNamespace Receiver { get; }
    public NetworkNamespace Router1 { get; }
    public NetworkNamespace Router2 { get; }

    public IPAddress ServiceNodeAddress => Left(1);
    public IPAddress SenderAddress => Left(11);
    public IPAddress ReceiverAddress => Right(11);

    /// <summary>The service node's route to the right LAN now goes through router 2 (`ip route replace`).</summary>
    public void MoveRouteToRouter2() => ServiceNode.Exec("ip", "route", "replace", RightPrefix, "via", Left(3).ToString());

    /// <summary>
    /// Router 1's left interface takes a new MAC and the service node's neighbour entry for it follows
    /// (`ip link set address`, then `ip neigh replace`), as a replaced router announcing itself would do.
    /// </summary>
    public void ChangeRouter1Mac(string mac)
    {
        Router1.Exec("ip", "link", "set", "left", "address", mac);
        ServiceNode.Exec("ip", "neigh", "replace", Left(2).ToString(), "lladdr", mac, "dev", "ul0", "nud", "reachable");
    }

    private string LeftPrefix => IPv6 ? "2001:db8:1::/64" : "192.0.2.0/24";
    private string RightPrefix => IPv6 ? "2001:db8:2::/64" : "198.51.100.0/24";

    private IPAddress Left(int host) => IPAddress.Parse(IPv6 ? $"2001:db8:1::{host}" : $"192.0.2.{host}");

    private IPAddress Right(int host) => IPAddress.Parse(IPv6 ? $"2001:db8:2::{host}" : $"198.51.100.{host}");

    private NetworkNamespace Add(string tag)
    {
        var ns = NetworkNamespace.Create(tag);
        _namespaces.Add(ns);
        return ns;
    }

    private void Plug(NetworkNamespace lan, string port, NetworkNamespace ns, string device, IPAddress address)
    {
        lan.Exec("ip", "link", "add", port, "type", "veth", "peer", "name", device, "netns", ns.Name);
        lan.Exec("ip", "link", "set", port, "master", "br0");
        lan.Exec("ip", "link", "set", port, "up");
        if (IPv6) ns.Exec("ip", "addr", "add", $"{address}/64", "dev", device, "nodad");
        else ns.Exec("ip", "addr", "add", $"{address}/24", "dev", device);
        ns.Exec("ip", "link", "set", device, "up");
    }

    public void Dispose()
    {
        for (int i = _namespaces.Count - 1; i >= 0; i--) _namespaces[i].Dispose();
    }
}
