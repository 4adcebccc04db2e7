namespace Replicator.TestSupport;

/// <summary>
/// The simplest underlay: one namespace holding a bridge, and node namespaces each with an
/// <c>eth0</c> (a veth into the bridge) carrying one address. Disposing removes every namespace,
/// nodes first. A failure half-way through building it removes what was built.
/// </summary>
public sealed class BridgedUnderlay : IDisposable
{
    private readonly List<NetworkNamespace> _nodes = [];

    /// <param name="tag">Prefix of the bridge namespace's name (see <see cref="NetworkNamespace.Create"/>).</param>
    public BridgedUnderlay(string tag)
    {
        Bridge = NetworkNamespace.Create(tag);
        try
        {
            Bridge.Exec("ip", "link", "add", "br0", "type", "bridge");
            Bridge.Exec("ip", "link", "set", "br0", "up");
        }
        catch
        {
            Bridge.Dispose();
            throw;
        }
    }

    /// <summary>The namespace of the bridge (<c>br0</c>, ports <c>p0</c>, <c>p1</c>, ...).</summary>
    public NetworkNamespace Bridge { get; }

    /// <summary>A new node namespace on the bridge with <paramref name="address"/>/<paramref name="prefixLength"/> on eth0 (IPv6 without duplicate address detection: usable at once).</summary>
    public NetworkNamespace Add(string tag, string address, int prefixLength)
    {
        var ns = NetworkNamespace.Create(tag);
        _nodes.Add(ns);
        string port = $"p{_nodes.Count - 1}";
        Bridge.Exec("ip", "link", "add", port, "type", "veth", "peer", "name", "eth0", "netns", ns.Name);
        Bridge.Exec("ip", "link", "set", port, "master", "br0", "up");
        string[] add = ["addr", "add", $"{address}/{prefixLength}", "dev", "eth0"];
        ns.Exec("ip", address.Contains(':', StringComparison.Ordinal) ? [.. add, "nodad"] : add);
        ns.Exec("ip", "link", "set", "eth0", "up");
        return ns;
    }

    public void Dispose()
    {
        foreach (var ns in Enumerable.Reverse(_nodes)) ns.Dispose();
        Bridge.Dispose();
    }
}
