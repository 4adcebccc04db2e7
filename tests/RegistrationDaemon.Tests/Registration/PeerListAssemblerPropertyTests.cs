using System.Net;
using CsCheck;
using Replicator.Protocol.Control;
using Replicator.RegistrationDaemon.Registration;

namespace Replicator.RegistrationDaemon.Tests.Registration;

/// <summary>
/// The assembler's public behaviour over random lists: however a service node splits a peer list into parts
/// (a VNI's members may span parts, parts may be empty) and in whatever order the parts arrive, the last part
/// to arrive yields exactly the original list and no earlier part yields anything; lists from two service
/// nodes whose parts interleave both assemble.
/// </summary>
public sealed class PeerListAssemblerPropertyTests
{
    private static readonly IPEndPoint NodeA = new(IPAddress.Parse("192.0.2.10"), 4789);
    private static readonly IPEndPoint NodeB = new(IPAddress.Parse("2001:db8::10"), 4789);

    private static readonly Gen<IPAddress> GenAddress = Gen.OneOf(
        Gen.Int[1, 254].Select(i => IPAddress.Parse($"198.51.100.{i}")),
        Gen.Int[1, 0xFFFF].Select(i => IPAddress.Parse($"2001:db8::{i:x}")));

    /// <summary>An original list: distinct VNIs, each with distinct members (possibly none).</summary>
    private static readonly Gen<(uint Vni, IPAddress[] Members)[]> GenList =
        Gen.Select(Gen.UInt[0, 0xFF_FFFF], GenAddress.Array[0, 6], (vni, members) => (vni, members.Distinct().ToArray()))
            .Array[0, 8].Select(vnis => vnis.DistinctBy(v => v.vni).ToArray());

    /// <summary>The list, split at random cut points and tagged as parts of one generation, then shuffled.</summary>
    private static Gen<PeerListMessage[]> GenArrivals((uint Vni, IPAddress[] Members)[] list, uint generation)
    {
        // One token per member, or one per empty VNI so that it is carried too.
        var tokens = list.SelectMany(v => v.Members.Length == 0 ? [(v.Vni, (IPAddress?)null)] : v.Members.Select(m => (v.Vni, (IPAddress?)m))).ToArray();
        return Gen.Int[0, tokens.Length].Array[0, 5].SelectMany(cuts =>
        {
            int[] bounds = [0, .. cuts.Order(), tokens.Length];
            int count = bounds.Length - 1;
            var parts = Enumerable.Range(0, count).Select(i => new PeerListMessage(
                90,
                tokens[bounds[i]..bounds[i + 1]].GroupBy(t => t.Vni)
                    .Select(g => new VniAddresses(g.Key, g.Where(t => t.Item2 is not null).Select(t => t.Item2!).ToArray())).ToArray(),
                generation, (ushort)i, (ushort)count)).ToArray();
            return Gen.Shuffle(parts);
        });
    }

    [Fact]
    public void Add_AnySplitInAnyOrder_LastPartYieldsTheOriginalList() =>
        Gen.Select(GenList, Gen.UInt).SelectMany((list, generation) => GenArrivals(list, generation).Select(parts => (list, generation, parts)))
            .Sample((list, generation, parts) =>
            {
                var assembler = new PeerListAssembler();
                for (int i = 0; i < parts.Length - 1; i++) Assert.Null(assembler.Add(NodeA, parts[i]));
                var update = assembler.Add(NodeA, parts[^1]);
                AssertIsOriginal(list, NodeA, generation, update);
            }, iter: 5_000);

    [Fact]
    public void Add_TwoNodesInterleaved_BothAssemble() =>
        Gen.Select(GenList, GenList).SelectMany((a, b) =>
                Gen.Select(GenArrivals(a, 7), GenArrivals(b, 7), Gen.Bool.Array[0, 20], (pa, pb, picks) => (a, b, pa, pb, picks)))
            .Sample((a, b, partsA, partsB, picks) =>
            {
                var assembler = new PeerListAssembler();
                var arrivals = Interleave(partsA, partsB, picks);
                PeerListUpdate? fromA = null, fromB = null;
                foreach (var (sender, part) in arrivals)
                {
                    var update = assembler.Add(sender, part);
                    if (update is null) continue;
                    if (sender.Equals(NodeA)) { Assert.Null(fromA); fromA = update; } else { Assert.Null(fromB); fromB = update; }
                }
                AssertIsOriginal(a, NodeA, 7, fromA);
                AssertIsOriginal(b, NodeB, 7, fromB);
            }, iter: 2_000);

    private static List<(IPEndPoint, PeerListMessage)> Interleave(PeerListMessage[] a, PeerListMessage[] b, bool[] picks)
    {
        var result = new List<(IPEndPoint, PeerListMessage)>();
        int i = 0, j = 0, k = 0;
        while (i < a.Length || j < b.Length)
        {
            bool takeA = j == b.Length || (i < a.Length && (k < picks.Length ? picks[k++] : true));
            result.Add(takeA ? (NodeA, a[i++]) : (NodeB, b[j++]));
        }
        return result;
    }

    private static void AssertIsOriginal((uint Vni, IPAddress[] Members)[] list, IPEndPoint sender, uint generation, PeerListUpdate? update)
    {
        Assert.NotNull(update);
        Assert.Equal(sender, update.Sender);
        Assert.Equal(generation, update.Generation);
        Assert.Equal(TimeSpan.FromSeconds(90), update.HoldTime);
        Assert.Equal(list.Select(v => v.Vni).Order(), update.Members.Keys.Order());
        foreach (var (vni, members) in list) Assert.Equal(members, update.Members[vni]);
    }
}
