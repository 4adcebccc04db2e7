using System.Globalization;
using System.Text.Json;
using Replicator.TestSupport;

namespace Replicator.EndToEnd.Tests.Evpn;

/// <summary>
/// A Replicator VTEP: bridge <c>br100</c> + <c>vxlan100</c> (learning on, as vxrd wants it), a host
/// namespace behind the bridge, and a real vxrd registering with the service node.
/// </summary>
internal sealed class VxrdVtep : IDisposable
{
    private VxrdVtep(NetworkNamespace node, string address, NetworkNamespace host, string hostIp, DaemonProcess process)
    {
        Node = node;
        Address = address;
        Host = host;
        HostIp = hostIp;
        Process = process;
    }

    public NetworkNamespace Node { get; }

    public string Address { get; }

    public NetworkNamespace Host { get; }

    public string HostIp { get; }

    public DaemonProcess Process { get; }

    public static VxrdVtep Start(NetworkNamespace node, string address, uint vni, string hostAddress, string serviceNode, string mode,
        string directory, string keyFile)
    {
        string v = vni.ToString(CultureInfo.InvariantCulture);
        node.Exec("ip", "link", "add", $"br{v}", "type", "bridge");
        node.Exec("ip", "link", "add", $"vxlan{v}", "type", "vxlan", "id", v, "local", address, "dstport", "4789");
        node.Exec("ip", "link", "set", $"vxlan{v}", "master", $"br{v}", "up");
        node.Exec("ip", "link", "set", $"br{v}", "up");
        var host = NetworkNamespace.Create($"rh{v}");
        try
        {
            node.Exec("ip", "link", "add", "hp0", "type", "veth", "peer", "name", "eth0", "netns", host.Name);
            node.Exec("ip", "link", "set", "hp0", "master", $"br{v}", "up");
            host.Exec("sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=1");
            host.Exec("ip", "addr", "add", hostAddress, "dev", "eth0");
            host.Exec("ip", "link", "set", "eth0", "up");
            string config = Path.Combine(directory, $"vxrd-{address}.json");
            File.WriteAllText(config, JsonSerializer.Serialize(new
            {
                RegistrationDaemon = new
                {
                    ServiceNode = serviceNode, Mode = mode, HoldTime = "00:00:09", RefreshRate = 3, ReconcileInterval = "00:00:02",
                    ManagementSocket = Path.Combine(directory, $"vxrd-{address}.sock"), Metrics = new { Endpoint = "" },
                    Authentication = new { KeyFile = keyFile },
                },
            }));
            return new VxrdVtep(node, address, host, hostAddress.Split('/')[0], DaemonProcess.StartBuilt(node, "vxrd", "--config", config));
        }
        catch
        {
            host.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        Process.Dispose();
        Host.Dispose();
    }
}
