using System.Text.Json;
using Replicator.TestSupport;

namespace Replicator.Linux.Tests;

/// <summary>Namespace fixtures shared by the kernel tests: devices made with iproute2, read back as JSON (the oracle).</summary>
internal static class KernelFixture
{
    public static void AddVxlan(NetworkNamespace ns, string name, int vni, string local, bool up = true, string? remote = null)
    {
        var args = new List<string> { "link", "add", name, "type", "vxlan", "id", vni.ToString(), "local", local, "dstport", "4789", "nolearning" };
        if (remote is not null)
        {
            args.AddRange(["remote", remote]);
        }
        ns.Exec("ip", [.. args]);
        if (up)
        {
            ns.Exec("ip", "link", "set", name, "up");
        }
    }

    /// <summary>
    /// A veth pair, both ends up in <paramref name="ns"/>: <paramref name="name"/> gets <paramref name="addresses"/>
    /// (IPv6 ones without duplicate address detection), its peer none, so routes through <paramref name="name"/>
    /// are usable at once.
    /// </summary>
    public static void AddVeth(NetworkNamespace ns, string name, string peer, params string[] addresses)
    {
        ns.Exec("ip", "link", "add", name, "type", "veth", "peer", "name", peer);
        foreach (string address in addresses)
        {
            if (address.Contains(':')) ns.Exec("ip", "-6", "addr", "add", address, "dev", name, "nodad");
            else ns.Exec("ip", "addr", "add", address, "dev", name);
        }
        ns.Exec("ip", "link", "set", peer, "up");
        ns.Exec("ip", "link", "set", name, "up");
    }

    public static int IfIndex(NetworkNamespace ns, string name)
    {
        using var doc = JsonDocument.Parse(ns.Exec("ip", "-j", "link", "show", "dev", name));
        return doc.RootElement[0].GetProperty("ifindex").GetInt32();
    }

    /// <summary>The default-destination dsts of a device per <c>bridge -j fdb show dev NAME</c>.</summary>
    public static List<string> DefaultDestinations(NetworkNamespace ns, string name)
    {
        using var doc = JsonDocument.Parse(ns.Exec("bridge", "-j", "fdb", "show", "dev", name));
        return doc.RootElement.EnumerateArray()
            .Where(e => e.GetProperty("mac").GetString() == "00:00:00:00:00:00" && e.TryGetProperty("dst", out _))
            .Select(e => e.GetProperty("dst").GetString()!)
            .Order()
            .ToList();
    }
}
