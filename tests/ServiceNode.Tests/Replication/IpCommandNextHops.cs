using System.Globalization;
using System.Net;
using System.Text.Json;
using Replicator.ServiceNode.Replication.NextHops;
using Replicator.TestSupport;

namespace Replicator.ServiceNode.Tests.Replication;

/// <summary>
/// Next hops read with iproute2 (`ip -j route get`, `ip -j neigh`, `ip -j link`) inside a namespace: an
/// oracle independent of the product's tracker, for tests of the packet path itself. It resolves
/// when <see cref="Resolve"/> is called and does not follow changes.
/// </summary>
internal sealed class IpCommandNextHops(NetworkNamespace ns) : INextHopSource
{
    private long _version;

    public NextHopSnapshot Current { get; private set; } = NextHopSnapshot.Empty;

    /// <summary>Looks every destination up now and publishes the result as a new version.</summary>
    public void Resolve(IEnumerable<IPAddress> destinations)
    {
        var hops = new List<NextHop>();
        foreach (var destination in destinations)
        {
            using var route = JsonDocument.Parse(ns.Exec("ip", "-j", "route", "get", destination.ToString()));
            var r = route.RootElement[0];
            string dev = r.GetProperty("dev").GetString()!;
            IPAddress? gateway = r.TryGetProperty("gateway", out var g) ? IPAddress.Parse(g.GetString()!) : null;
            using var link = JsonDocument.Parse(ns.Exec("ip", "-j", "link", "show", "dev", dev));
            var l = link.RootElement[0];
            int index = l.GetProperty("ifindex").GetInt32();
            int mtu = l.GetProperty("mtu").GetInt32();
            ulong source = Mac(l.GetProperty("address").GetString()!);
            using var neigh = JsonDocument.Parse(ns.Exec("ip", "-j", "neigh", "show", "to", (gateway ?? destination).ToString(), "dev", dev));
            var n = neigh.RootElement.EnumerateArray().FirstOrDefault(e => e.TryGetProperty("lladdr", out _));
            hops.Add(n.ValueKind == JsonValueKind.Undefined
                ? new NextHop(destination, NextHopState.NoNeighbour, index, source, 0, mtu, gateway)
                : new NextHop(destination, NextHopState.Usable, index, source, Mac(n.GetProperty("lladdr").GetString()!), mtu, gateway));
        }
        Current = new NextHopSnapshot(++_version, hops);
    }

    private static ulong Mac(string text) => ulong.Parse(text.Replace(":", ""), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
}
