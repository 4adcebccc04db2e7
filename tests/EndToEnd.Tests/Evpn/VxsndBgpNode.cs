using System.Globalization;
using System.Text.Json;
using Replicator.TestSupport;
using static Replicator.EndToEnd.Tests.Support.OverlayChecks;

namespace Replicator.EndToEnd.Tests.Evpn;

/// <summary>
/// A real vxsnd in an underlay node with its BGP speaker on (<c>ServiceNode:Bgp</c>, docs/evpn.md):
/// iBGP to the given route reflectors, router id = its address; read through its CLI
/// (<c>vxsnd bgp --json</c>, <c>vxsnd fdb --json</c>).
/// </summary>
internal sealed class VxsndBgpNode : IDisposable
{
    private VxsndBgpNode(DaemonProcess process, string socket, string address)
    {
        Process = process;
        Socket = socket;
        Address = address;
    }

    public DaemonProcess Process { get; }

    public string Socket { get; }

    public string Address { get; }

    public static VxsndBgpNode Start(NetworkNamespace ns, string address, uint asn, IReadOnlyList<string> reflectors, string directory, string keyFile,
        TimeSpan graceTime)
    {
        string socket = Path.Combine(directory, $"vxsnd-{address}.sock");
        var args = new List<string>
        {
            $"--ServiceNode:ControlAddress={address}",
            $"--ServiceNode:ManagementSocket={socket}",
            $"--ServiceNode:Registry:StaticEntriesFile={Path.Combine(directory, $"static-{address}")}",
            "--ServiceNode:Metrics:Endpoint=",
            $"--ServiceNode:Authentication:KeyFile={keyFile}",
        };
        args.AddRange(BgpArguments(address, asn, reflectors, graceTime));
        var process = DaemonProcess.StartBuilt(ns, "vxsnd", [.. args]);
        try
        {
            // The CLI reads fail a test outright, so none may run before the management socket is up
            // (on a busy machine start-up takes seconds; the CI saw a read before it).
            WaitFor("vxsnd's management socket", TimeSpan.FromSeconds(60), () => File.Exists(socket), process);
        }
        catch
        {
            process.Dispose();
            throw;
        }
        return new VxsndBgpNode(process, socket, address);
    }

    /// <summary>The <c>ServiceNode:Bgp</c> keys of a service node peering with <paramref name="reflectors"/> (as docs/evpn.md shows them).</summary>
    public static IEnumerable<string> BgpArguments(string address, uint asn, IReadOnlyList<string> reflectors, TimeSpan graceTime)
    {
        yield return "--ServiceNode:Bgp:Enabled=true";
        yield return string.Create(CultureInfo.InvariantCulture, $"--ServiceNode:Bgp:LocalAs={asn}");
        yield return $"--ServiceNode:Bgp:RouterId={address}";
        yield return $"--ServiceNode:Bgp:LocalAddress={address}";
        yield return "--ServiceNode:Bgp:HoldTime=00:00:09"; // as FRR's datacenter defaults: a dead peer shows within 9 s
        for (int i = 0; i < reflectors.Count; i++) yield return string.Create(CultureInfo.InvariantCulture, $"--ServiceNode:Bgp:Peers:{i}={reflectors[i]}");
        yield return string.Create(CultureInfo.InvariantCulture, $"--ServiceNode:Bgp:Evpn:GraceTime={graceTime:c}");
    }

    /// <summary>The state of each session, by peer address (<c>vxsnd bgp --json</c>).</summary>
    public Dictionary<string, string> Sessions()
    {
        using var doc = JsonDocument.Parse(Cli("vxsnd", "bgp", "--socket", Socket, "--json"));
        var root = doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("sessions", out var s) ? s : doc.RootElement;
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var e in root.EnumerateArray())
        {
            string peer = e.GetProperty("peer").GetString()!;
            // "192.0.2.1:179" or "192.0.2.1": the address is what the tests name.
            int colon = peer.LastIndexOf(':');
            if (colon > 0 && peer.IndexOf(':', StringComparison.Ordinal) == colon) peer = peer[..colon];
            result[peer] = e.GetProperty("state").GetString()!;
        }
        return result;
    }

    public bool IsEstablished(string peer) =>
        Sessions().TryGetValue(peer, out string? state) && string.Equals(state, "Established", StringComparison.OrdinalIgnoreCase);

    /// <summary>The registry's entries of <paramref name="vni"/> (<c>vxsnd fdb --vni N --json</c>): address and source.</summary>
    public Dictionary<string, string> Entries(uint vni)
    {
        using var doc = JsonDocument.Parse(Cli("vxsnd", "fdb", "--socket", Socket, "--vni", vni.ToString(CultureInfo.InvariantCulture), "--json"));
        return doc.RootElement.EnumerateArray().ToDictionary(e => e.GetProperty("address").GetString()!, e => e.GetProperty("source").GetString()!,
            StringComparer.Ordinal);
    }

    public void Dispose() => Process.Dispose();
}
