using System.Globalization;
using System.Text.Json.Nodes;

namespace Replicator.TestSupport.Bgp;

/// <summary>
/// An FRR EVPN VTEP in an underlay node namespace: per VNI a bridge <c>brVNI</c> and a VXLAN device
/// <c>vxlanVNI</c> (UDP 4789, local = the VTEP's address, learning off: FRR installs the flood
/// entries from the type-3 routes it receives), and one host namespace behind the bridge; zebra and
/// bgpd with <c>advertise-all-vni</c> as a client of the given route reflectors. Disposing stops FRR
/// and deletes the host namespaces (the node namespace belongs to the caller's underlay).
/// </summary>
public sealed class EvpnVtep : IDisposable
{
    private readonly List<EvpnHost> _hosts = [];

    private EvpnVtep(NetworkNamespace node, string address)
    {
        Node = node;
        Address = address;
    }

    public NetworkNamespace Node { get; }

    /// <summary>The VTEP's underlay address: its router id, the VXLAN devices' local address, its type-3 routes' originator.</summary>
    public string Address { get; }

    public FrrInstance Frr { get; private set; } = null!;

    public IReadOnlyList<EvpnHost> Hosts => _hosts;

    /// <summary>
    /// Builds the devices and the hosts (<paramref name="hosts"/>: VNI and the host's address with
    /// prefix, e.g. 203.0.113.21/24), then starts zebra and bgpd.
    /// </summary>
    public static async Task<EvpnVtep> StartAsync(NetworkNamespace node, string address, uint asn, IEnumerable<string> reflectors,
        IEnumerable<(uint Vni, string HostAddress)> hosts, int coalesceMilliseconds = 50)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(hosts);
        var vtep = new EvpnVtep(node, address);
        try
        {
            foreach (var (vni, hostAddress) in hosts) vtep.AddSegment(vni, hostAddress);
            vtep.Frr = await FrrInstance.StartAsync(node, FrrConfig.Vtep(address, asn, reflectors, coalesceMilliseconds), withZebra: true)
                .ConfigureAwait(false);
            return vtep;
        }
        catch
        {
            vtep.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The remote VTEPs this VTEP floods <paramref name="vni"/>'s BUM traffic to: the <c>dst</c> of
    /// its all-zero FDB entries (<c>bridge fdb show dev vxlanVNI</c>), as FRR installs them.
    /// </summary>
    public IReadOnlyList<string> FloodEntries(uint vni)
    {
        var entries = JsonNode.Parse(Node.Exec("bridge", "-j", "fdb", "show", "dev", DeviceName(vni)))?.AsArray() ?? [];
        return [.. entries
            .Where(e => e?["mac"]?.ToString() == "00:00:00:00:00:00" && e["dst"] is not null)
            .Select(e => e!["dst"]!.ToString())
            .Distinct()];
    }

    /// <summary><c>show evpn vni json</c>: the VNIs zebra knows, with their remote VTEPs.</summary>
    public JsonNode Vnis() => Frr.VtyshJson("show evpn vni json");

    public static string DeviceName(uint vni) => string.Create(CultureInfo.InvariantCulture, $"vxlan{vni}");

    public static string BridgeName(uint vni) => string.Create(CultureInfo.InvariantCulture, $"br{vni}");

    public void Dispose()
    {
        Frr?.Dispose();
        foreach (var h in _hosts) h.Namespace.Dispose();
        _hosts.Clear();
    }

    private void AddSegment(uint vni, string hostAddress)
    {
        string bridge = BridgeName(vni), vxlan = DeviceName(vni), port = string.Create(CultureInfo.InvariantCulture, $"h{vni}");
        string vniText = vni.ToString(CultureInfo.InvariantCulture);
        Node.Exec("ip", "link", "add", bridge, "type", "bridge");
        Node.Exec("ip", "link", "add", vxlan, "type", "vxlan", "id", vniText, "local", Address, "dstport", "4789", "nolearning");
        Node.Exec("ip", "link", "set", vxlan, "master", bridge, "addrgenmode", "none");
        Node.Exec("bridge", "link", "set", "dev", vxlan, "neigh_suppress", "off", "learning", "off");

        var host = NetworkNamespace.Create($"h{vni}");
        _hosts.Add(new EvpnHost(vni, host, hostAddress));
        Node.Exec("ip", "link", "add", port, "type", "veth", "peer", "name", "eth0", "netns", host.Name);
        Node.Exec("ip", "link", "set", port, "master", bridge);
        foreach (string d in new[] { bridge, vxlan, port }) Node.Exec("ip", "link", "set", d, "up");
        // No IPv6 on the host: router and neighbour solicitations would add type-2 routes at random times.
        host.Exec("sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=1");
        host.Exec("ip", "addr", "add", hostAddress, "dev", "eth0");
        host.Exec("ip", "link", "set", "eth0", "up");
    }
}

/// <summary>A host behind an <see cref="EvpnVtep"/> on one VNI (its address with prefix, on its eth0).</summary>
public sealed record EvpnHost(uint Vni, NetworkNamespace Namespace, string Address)
{
    /// <summary>The address without its prefix length.</summary>
    public string Ip => Address.Split('/')[0];
}
