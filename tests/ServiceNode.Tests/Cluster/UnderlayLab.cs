using System.Net;
using System.Net.Sockets;
using Replicator.Protocol.Control;
using Replicator.TestSupport;

namespace Replicator.ServiceNode.Tests.Cluster;

/// <summary>
/// An underlay router namespace with one point-to-point link (/30 in 198.51.100.0/24) to each node
/// namespace: node i has 198.51.100.(4i+2), the router 198.51.100.(4i+1), and a default route to it.
/// The anycast address (203.0.113.100) is routed by the router to one node, as a fabric would.
/// </summary>
internal sealed class UnderlayLab : IDisposable
{
    public static readonly IPAddress Anycast = IPAddress.Parse("203.0.113.100");

    private readonly List<NetworkNamespace> _namespaces = [];

    public UnderlayLab(int nodes)
    {
        try
        {
            Router = Add(NetworkNamespace.Create("clr"));
            Router.Exec("sysctl", "-qw", "net.ipv4.ip_forward=1");
            for (int i = 0; i < nodes; i++)
            {
                var ns = Add(NetworkNamespace.Create($"cl{i}"));
                Shell.Check("ip", "link", "add", "name", $"r{i}", "netns", Router.Name, "type", "veth", "peer", "name", "eth0", "netns", ns.Name);
                Router.Exec("ip", "addr", "add", $"{RouterSide(i)}/30", "dev", $"r{i}");
                Router.Exec("ip", "link", "set", $"r{i}", "up");
                ns.Exec("ip", "addr", "add", $"{Address(i)}/30", "dev", "eth0");
                ns.Exec("ip", "link", "set", "eth0", "up");
                ns.Exec("ip", "route", "add", "default", "via", RouterSide(i).ToString());
                Nodes.Add(ns);
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public NetworkNamespace Router { get; }

    public List<NetworkNamespace> Nodes { get; } = [];

    public static IPAddress Address(int node) => IPAddress.Parse($"198.51.100.{4 * node + 2}");

    private static IPAddress RouterSide(int node) => IPAddress.Parse($"198.51.100.{4 * node + 1}");

    /// <summary>What the fabric does when it learns the anycast from another node: the route moves.</summary>
    public void RouteAnycastTo(int node) =>
        Router.Exec("ip", "route", "replace", $"{Anycast}/32", "via", Address(node).ToString());

    /// <summary>Overlay address of a VTEP node (on its vxlan100).</summary>
    public static string OverlayAddress(int node) => $"192.0.2.{node + 1}";

    /// <summary>
    /// Makes node <paramref name="node"/> a VTEP in service-node mode: vxlan100 with its underlay address as
    /// local, the default destination (00:00:00:00:00:00) the anycast address, an overlay address on it.
    /// </summary>
    public void AddVxlan(int node)
    {
        var ns = Nodes[node];
        ns.Exec("ip", "link", "add", "vxlan100", "type", "vxlan", "id", "100", "local", Address(node).ToString(), "dstport", "4789");
        ns.Exec("bridge", "fdb", "append", "00:00:00:00:00:00", "dev", "vxlan100", "dst", Anycast.ToString());
        ns.Exec("ip", "addr", "add", $"{OverlayAddress(node)}/24", "dev", "vxlan100");
        ns.Exec("ip", "link", "set", "vxlan100", "up");
    }

    /// <summary>Pings <paramref name="to"/>'s overlay address from <paramref name="from"/>; true when it answered.</summary>
    public bool Ping(int from, int to) =>
        Nodes[from].Try("ping", "-c", "1", "-W", "1", OverlayAddress(to)).ExitCode == 0;

    public bool HasAnycast(int node) => Nodes[node].Exec("ip", "-4", "addr", "show", "dev", "lo").Contains($"{Anycast}/32", StringComparison.Ordinal);

    /// <summary>A UDP socket created inside node <paramref name="node"/>'s namespace (a VTEP's control socket).</summary>
    public Socket Socket(int node) => NamespaceThread.Run(Nodes[node].Name, () =>
    {
        var s = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        s.Bind(new IPEndPoint(Address(node), 0));
        s.ReceiveTimeout = 1000;
        return s;
    });

    /// <summary>Sends <paramref name="register"/> and collects VNI -> members from the peer lists answered within about a second.</summary>
    public static Dictionary<uint, HashSet<IPAddress>> Ask(Socket socket, IPEndPoint serviceNode, RegisterMessage register)
    {
        var buffer = new byte[65536];
        while (socket.Available > 0) socket.Receive(buffer); // earlier pushes are not the answer
        foreach (var datagram in ControlCodec.EncodeRegister(register)) socket.SendTo(datagram, serviceNode);
        var lists = new Dictionary<uint, HashSet<IPAddress>>();
        var deadline = DateTime.UtcNow.AddSeconds(1.5);
        while (DateTime.UtcNow < deadline)
        {
            int n;
            try
            {
                n = socket.Receive(buffer);
            }
            catch (SocketException)
            {
                break; // receive timeout: no more answers
            }
            if (!ControlCodec.TryDecode(buffer.AsSpan(0, n), out var message, out _) || message is not PeerListMessage list) continue;
            foreach (var v in list.Vnis) lists[v.Vni] = [.. v.Addresses];
            if (list.PartIndex + 1 == list.PartCount) break;
        }
        return lists;
    }

    /// <summary>A read-only question: withdraw nothing, send every VNI's peer list.</summary>
    public static Dictionary<uint, HashSet<IPAddress>> Table(Socket socket, IPEndPoint serviceNode) =>
        Ask(socket, serviceNode, new RegisterMessage("probe", 0, false, WireResponseWanted.AllVnis, []));

    private NetworkNamespace Add(NetworkNamespace ns)
    {
        _namespaces.Add(ns);
        return ns;
    }

    public void Dispose()
    {
        foreach (var ns in Enumerable.Reverse(_namespaces)) ns.Dispose();
    }
}
