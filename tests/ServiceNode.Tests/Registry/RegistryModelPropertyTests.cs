using System.Net;
using CsCheck;
using Microsoft.Extensions.Time.Testing;
using Replicator.ServiceNode.Registry;

namespace Replicator.ServiceNode.Tests.Registry;

/// <summary>
/// The registry against a model small enough to be obviously right: (VNI, address) -> expiry, plus the node
/// identifier last seen from each address. Random register / refresh / withdraw / expire sequences over a few
/// VNIs, addresses and node identifiers (so restarts and foreign withdraws happen often); after every step the
/// registry's members, counts and published member table equal the model's.
/// </summary>
public sealed class RegistryModelPropertyTests
{
    private static readonly VtepAddress[] Addresses =
        [.. new[] { "192.0.2.1", "192.0.2.2", "198.51.100.3", "2001:db8::4", "2001:db8::5" }.Select(a => VtepAddress.FromIPAddress(IPAddress.Parse(a)))];
    private static readonly uint[] Vnis = [1, 2, 3, 0xFF_FFFF];
    private static readonly string[] NodeIds = ["n1", "n2", "n3"];

    private abstract record Op;
    private sealed record Register(Registration Registration) : Op;
    private sealed record Refresh(int Index) : Op;         // repeats an earlier registration, as a VTEP's refresh does
    private sealed record Expire(TimeSpan Advance) : Op;   // the clock moves, then the registry loop's aging tick runs

    private static readonly Gen<VniRegistration> GenVni =
        Gen.Select(Gen.OneOf(Vnis), Gen.Shuffle(Addresses, 1, 3), (vni, addresses) => new VniRegistration(vni, addresses));

    private static readonly Gen<Registration> GenRegistration = Gen.Select(
        Gen.OneOf(NodeIds),
        Gen.Frequency((3, Gen.Int[1, 120].Select(s => TimeSpan.FromSeconds(s))), (1, Gen.Const(TimeSpan.Zero))),
        GenVni.Array[1, 3],
        (node, hold, vnis) => new Registration(node, hold, false, ResponseWanted.None, vnis.DistinctBy(v => v.Vni).ToArray()));

    private static readonly Gen<Op> GenOp = Gen.Frequency(
        (4, GenRegistration.Select(r => (Op)new Register(r))),
        (2, Gen.Int[0, 1000].Select(i => (Op)new Refresh(i))),
        (2, Gen.Int[0, 100].Select(s => (Op)new Expire(TimeSpan.FromSeconds(s)))));

    [Fact]
    public void Operations_RandomSequences_RegistryEqualsModel() =>
        GenOp.Array[1, 40].Sample(Run, iter: 2_000);

    private static void Run(Op[] ops)
    {
        var time = new FakeTimeProvider();
        var table = new MemberTable();
        var registry = new ServiceNode.Registry.Registry(new RegistryLimits(10_000, 1_000, TimeSpan.FromSeconds(30)), time, table);
        var model = new Model();
        var registered = new List<Registration>();
        long now = 0;
        foreach (Op op in ops)
        {
            switch (op)
            {
                case Register(var r):
                    Assert.True(registry.Apply(r).Succeeded);
                    model.Apply(r, now);
                    if (r.HoldTime > TimeSpan.Zero) registered.Add(r);
                    break;
                case Refresh(var i) when registered.Count > 0:
                    var again = registered[i % registered.Count];
                    Assert.True(registry.Apply(again).Succeeded);
                    model.Apply(again, now);
                    break;
                case Expire(var by):
                    time.Advance(by);
                    now += by.Ticks;
                    registry.ExpireDue();
                    model.ExpireDue(now);
                    break;
            }
            registry.PublishChanges();
            AssertEqual(model, registry, table);
        }
    }

    private static void AssertEqual(Model model, ServiceNode.Registry.Registry registry, MemberTable table)
    {
        var expected = model.Entries.Keys.OrderBy(k => k.Vni).ThenBy(k => k.Address.ToString()).ToList();
        var actual = registry.GetEntries().Select(e => (e.Vni, e.Address)).OrderBy(k => k.Vni).ThenBy(k => k.Address.ToString()).ToList();
        Assert.Equal(expected, actual);
        Assert.Equal(expected.Count, registry.EntryCount);
        Assert.Equal(expected.Select(k => k.Vni).Distinct().Count(), registry.VniCount);
        foreach (var group in expected.GroupBy(k => k.Vni))
        {
            Assert.True(table.TryGet(group.Key, out var members));
            Assert.Equal(group.Select(k => k.Address.ToIPAddress()).OrderBy(a => a.ToString()), members.Addresses.OrderBy(a => a.ToString()));
        }
    }

    /// <summary>The specification, written plainly: hold 0 withdraws (only the same node's entries); a new node
    /// identifier from a known address drops that address's entries; an entry is gone once its expiry is due.</summary>
    private sealed class Model
    {
        public Dictionary<(uint Vni, VtepAddress Address), long> Entries { get; } = [];
        private readonly Dictionary<VtepAddress, (string NodeId, long ExpiresAt)> _nodes = [];

        public void Apply(Registration r, long now)
        {
            if (r.HoldTime == TimeSpan.Zero)
            {
                foreach (var vni in r.Vnis)
                    foreach (var address in vni.Addresses)
                    {
                        if (_nodes.TryGetValue(address, out var node) && node.NodeId != r.NodeId) continue;
                        Entries.Remove((vni.Vni, address));
                    }
                return;
            }
            long expiresAt = now + r.HoldTime.Ticks;
            foreach (var address in r.Vnis.SelectMany(v => v.Addresses))
            {
                if (_nodes.TryGetValue(address, out var node) && node.NodeId != r.NodeId)
                {
                    foreach (var key in Entries.Keys.Where(k => k.Address == address).ToList()) Entries.Remove(key);
                    node = (r.NodeId, 0);
                }
                else if (!_nodes.ContainsKey(address))
                {
                    node = (r.NodeId, 0);
                }
                _nodes[address] = (r.NodeId, Math.Max(node.ExpiresAt, expiresAt));
            }
            foreach (var vni in r.Vnis)
                foreach (var address in vni.Addresses)
                    Entries[(vni.Vni, address)] = expiresAt;
        }

        public void ExpireDue(long now)
        {
            foreach (var key in Entries.Where(e => e.Value <= now).Select(e => e.Key).ToList()) Entries.Remove(key);
            foreach (var address in _nodes.Where(n => n.Value.ExpiresAt <= now).Select(n => n.Key).ToList()) _nodes.Remove(address);
        }
    }
}
