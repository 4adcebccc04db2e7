using System.Net;
using Replicator.TestSupport;

namespace Replicator.ServiceNode.Tests.Replication;

/// <summary>
/// A service-node namespace and three VTEP namespaces on one underlay bridge (its own namespace),
/// each VTEP with vxlan100 (VTEP 1 and 2 also vxlan200) whose default destination is the service
/// node, a bridge, and a host namespace behind it in VNI 100. Underlay IPv4 192.0.2.0/24 or IPv6
/// 2001:db8:1::/64; overlay hosts 203.0.113.1-3. Everything is torn down on dispose.
/// </summary>
internal sealed class ReplicationLab : IDisposable
{
    private readonly List<NetworkNamespace> _namespaces = [];

    public ReplicationLab(bool ipv6)
    {
        IPv6 = ipv6;
        try
        {
            Underlay = Add("dpul");
            ServiceNode = Add("dpsn");
            Underlay.Exec("ip", "link", "add", "br0", "type", "bridge");
            Underlay.Exec("ip", "link", "set", "br0", "up");
            Plug(ServiceNode, "p0", ServiceNodeAddress);
            for (int i = 1; i <= 3; i++)
            {
                var vtep = Add($"dpv{i}");
                Vteps.Add(vtep);
                Plug(vtep, $"p{i}", VtepAddress(i));
                var host = Add($"dph{i}");
                Hosts.Add(host);
                AddVxlan(vtep, 100, i);
                vtep.Exec("ip", "link", "add", "h0", "type", "veth", "peer", "name", "eth0", "netns", host.Name);
                vtep.Exec("ip", "link", "set", "h0", "master", "br100");
                vtep.Exec("ip", "link", "set", "h0", "up");
                host.Exec("ip", "link", "set", "eth0", "address", HostMac(i));
                host.Exec("ip", "addr", "add", $"{HostAddress(i)}/24", "dev", "eth0");
                host.Exec("ip", "link", "set", "eth0", "up");
                if (i <= 2) AddVxlan(vtep, 200, i);
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public bool IPv6 { get; }
    public NetworkNamespace Underlay { get; }
    public NetworkNamespace ServiceNode { get; }
    public List<NetworkNamespace> Vteps { get; } = [];
    public List<NetworkNamespace> Hosts { get; } = [];

    public IPAddress ServiceNodeAddress => IPAddress.Parse(IPv6 ? "2001:db8:1::1" : "192.0.2.1");

    /// <summary>VTEP 1..3.</summary>
    public IPAddress VtepAddress(int i) => IPAddress.Parse(IPv6 ? $"2001:db8:1::1{i}" : $"192.0.2.1{i}");

    public static string HostAddress(int i) => $"203.0.113.{i}";

    public static string HostMac(int i) => $"02:00:00:00:00:0{i}";

    private NetworkNamespace Add(string tag)
    {
        var ns = NetworkNamespace.Create(tag);
        _namespaces.Add(ns);
        return ns;
    }

    private void Plug(NetworkNamespace ns, string port, IPAddress address)
    {
        Underlay.Exec("ip", "link", "add", port, "type", "veth", "peer", "name", "ul0", "netns", ns.Name);
        Underlay.Exec("ip", "link", "set", port, "master", "br0");
        Underlay.Exec("ip", "link", "set", port, "up");
        if (IPv6) ns.Exec("ip", "addr", "add", $"{address}/64", "dev", "ul0", "nodad");
        else ns.Exec("ip", "addr", "add", $"{address}/24", "dev", "ul0");
        ns.Exec("ip", "link", "set", "ul0", "up");
    }

    private void AddVxlan(NetworkNamespace vtep, int vni, int i)
    {
        string dev = $"vxlan{vni}", br = $"br{vni}";
        vtep.Exec("ip", "link", "add", dev, "type", "vxlan", "id", vni.ToString(), "local", VtepAddress(i).ToString(), "dstport", "4789");
        // As vxrd does in ServiceNode mode: BUM frames go to the service node.
        vtep.Exec("bridge", "fdb", "append", "00:00:00:00:00:00", "dev", dev, "dst", ServiceNodeAddress.ToString());
        vtep.Exec("ip", "link", "add", br, "type", "bridge");
        vtep.Exec("ip", "link", "set", dev, "master", br);
        vtep.Exec("ip", "link", "set", dev, "up");
        vtep.Exec("ip", "link", "set", br, "up");
    }

    public void Dispose()
    {
        for (int i = _namespaces.Count - 1; i >= 0; i--) _namespaces[i].Dispose();
    }
}
