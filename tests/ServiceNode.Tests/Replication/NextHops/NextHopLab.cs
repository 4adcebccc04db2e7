using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Replicator.ServiceNode.Registry;
using Replicator.ServiceNode.Replication.NextHops;
using Replicator.TestSupport;

namespace Replicator.ServiceNode.Tests.Replication.NextHops;

/// <summary>
/// A namespace with two veth pairs (d0: 192.0.2.1/24 and 2001:db8:1::1/64; e0: 203.0.113.1/24, their peers
/// carry no address) and a <see cref="NextHopTracker"/> constructed inside it, following <see cref="Table"/>.
/// Neighbours are set by hand (<c>ip neigh</c>), so nothing depends on ARP answers.
/// </summary>
internal sealed class NextHopLab : IDisposable
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(15);

    private readonly NetworkNamespace _ns;

    public NextHopLab(string tag, NextHopTrackerSettings? settings = null)
    {
        _ns = NetworkNamespace.Create(tag);
        try
        {
            AddVeth("d0", "d1", "192.0.2.1/24", "2001:db8:1::1/64");
            AddVeth("e0", "e1", "203.0.113.1/24");
            Tracker = _ns.Enter(() => new NextHopTracker(Table, relay: Relay, settings: settings));
            Tracker.Start();
        }
        catch
        {
            _ns.Dispose();
            throw;
        }
    }

    public MemberTable Table { get; } = new();

    public NextHopMembershipRelay Relay { get; } = new();

    public NextHopTracker Tracker { get; }

    public string Exec(params string[] args) => _ns.Exec("ip", args);

    /// <summary>Runs an <c>ip -batch</c> file of <paramref name="lines"/> in the namespace (a burst of changes).</summary>
    public void Batch(IEnumerable<string> lines)
    {
        string path = Path.Combine(Path.GetTempPath(), $"{_ns.Name}.batch");
        File.WriteAllLines(path, lines);
        try
        {
            _ns.Exec("ip", "-batch", path);
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>Publishes the members of VNI 100 and tells the tracker, as the registry loop does.</summary>
    public void SetMembers(params string[] addresses)
    {
        Table.Publish(new VniMembers(100, addresses.Select(IPAddress.Parse)));
        Relay.OnMembershipChanged(null!, [100]);
    }

    public int IfIndex(string name) => Link(name).GetProperty("ifindex").GetInt32();

    /// <summary>The MAC of <paramref name="name"/> per <c>ip -j link</c>, packed as <see cref="NextHop"/> packs it.</summary>
    public ulong Mac(string name) => Pack(Link(name).GetProperty("address").GetString()!);

    public static ulong Pack(string mac) => Convert.ToUInt64(mac.Replace(":", ""), 16);

    /// <summary>Waits (polling, generous deadline) until <paramref name="destination"/>'s next hop satisfies <paramref name="match"/>.</summary>
    public NextHop WaitFor(string destination, Func<NextHop, bool> match)
    {
        var address = IPAddress.Parse(destination);
        var clock = Stopwatch.StartNew();
        NextHop last = default;
        while (clock.Elapsed < Deadline)
        {
            if (Tracker.Current.TryGet(address, out last) && match(last))
            {
                return last;
            }
            Thread.Sleep(1);
        }
        throw new TimeoutException($"{destination}: no matching next hop within {Deadline}; last {last}");
    }

    public void Dispose()
    {
        Tracker.Dispose();
        _ns.Dispose();
    }

    private JsonElement Link(string name)
    {
        using var doc = JsonDocument.Parse(_ns.Exec("ip", "-j", "link", "show", "dev", name));
        return doc.RootElement[0].Clone();
    }

    private void AddVeth(string name, string peer, params string[] addresses)
    {
        _ns.Exec("ip", "link", "add", name, "type", "veth", "peer", "name", peer);
        foreach (string address in addresses)
        {
            if (address.Contains(':')) _ns.Exec("ip", "-6", "addr", "add", address, "dev", name, "nodad");
            else _ns.Exec("ip", "addr", "add", address, "dev", name);
        }
        _ns.Exec("ip", "link", "set", peer, "up");
        _ns.Exec("ip", "link", "set", name, "up");
    }
}
