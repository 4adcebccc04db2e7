using System.Net;
using Replicator.Protocol.Control;
using Replicator.RegistrationDaemon.Registration;
using Replicator.RegistrationDaemon.Tests.Fakes;
using static Replicator.RegistrationDaemon.Tests.Fakes.CoreHarness;

namespace Replicator.RegistrationDaemon.Tests.Daemon;

/// <summary>Peer-list generations and deltas in vxrd (PROTOCOL.md 5.2): apply as a diff, ask again on a mismatch.</summary>
public sealed class DaemonCoreDeltaTests
{
    private const string A = "198.51.100.1", B = "198.51.100.2", C = "198.51.100.3", D = "198.51.100.4";

    [Fact]
    public void OnPeerList_DeltaFromHeldGeneration_AddsAndDeletesOnlyWhatChanged()
    {
        using var h = new CoreHarness();
        h.Links(Vxlan(10, 100, A));
        Full(h, 100, 41, A, B, C);
        h.Fdb.Operations.Clear();

        Delta(h, new PeerListDelta(100, 41, 42, [Ip(D)], [Ip(B)]));

        Assert.Equal([C, D], h.Fdb.EntryStrings(10));
        Assert.Equal(["add 10 198.51.100.4", "del 10 198.51.100.2"], h.Fdb.Operations);
        Assert.Equal(42u, h.Core.HeldGeneration(100));
    }

    [Fact]
    public void OnPeerList_ChainOfDeltas_AppliesThoseAfterTheHeldGeneration()
    {
        using var h = new CoreHarness();
        h.Links(Vxlan(10, 100, A));
        Full(h, 100, 42, A, B, D); // an answer at 42, then a push of 41->42->43 that was under way
        int sent = h.Control.Sent.Count;

        Delta(h, new PeerListDelta(100, 41, 42, [Ip(D)], []), new PeerListDelta(100, 42, 43, [Ip(C)], []));

        Assert.Equal([B, C, D], h.Fdb.EntryStrings(10));
        Assert.Equal(43u, h.Core.HeldGeneration(100));
        Assert.Equal(sent, h.Control.Sent.Count); // nothing to repair
    }

    [Fact]
    public void OnPeerList_DeltaFromAnotherGeneration_IgnoredAndRegistersAtOnceWithWhatItHolds()
    {
        using var h = new CoreHarness();
        h.Links(Vxlan(10, 100, A));
        Full(h, 100, 41, A, B);
        h.Advance(TimeSpan.FromSeconds(2));
        int sent = h.Control.Sent.Count;

        Delta(h, new PeerListDelta(100, 42, 43, [Ip(C)], [Ip(B)])); // 41->42 was lost
        h.Advance(TimeSpan.Zero);

        Assert.Equal([B], h.Fdb.EntryStrings(10));
        Assert.Equal(sent + 1, h.Control.Sent.Count);
        Assert.Equal(41u, h.Control.Last.Generations![100]);
        Assert.True(h.Control.Last.WantPeerLists);
    }

    [Fact]
    public void OnPeerList_MismatchesInARow_RegistersAtMostOnceASecond()
    {
        using var h = new CoreHarness();
        h.Links(Vxlan(10, 100, A));
        Full(h, 100, 41, A, B);
        h.Advance(TimeSpan.FromSeconds(2));
        int sent = h.Control.Sent.Count;

        for (int i = 0; i < 10; i++)
        {
            Delta(h, new PeerListDelta(100, 50 + (uint)i, 51 + (uint)i, [Ip(C)], []));
            h.Advance(TimeSpan.FromMilliseconds(50));
        }

        Assert.Equal(sent + 1, h.Control.Sent.Count);
        h.Advance(TimeSpan.FromSeconds(1));
        Delta(h, new PeerListDelta(100, 70, 71, [Ip(C)], []));
        h.Advance(TimeSpan.Zero);
        Assert.Equal(sent + 2, h.Control.Sent.Count);
    }

    [Fact]
    public void OnPeerList_RepeatedDelta_ChangesNothingAndAsksNothing()
    {
        using var h = new CoreHarness();
        h.Links(Vxlan(10, 100, A));
        Full(h, 100, 41, A, B);
        var delta = new PeerListDelta(100, 41, 42, [Ip(C)], []);
        Delta(h, delta);
        h.Fdb.Operations.Clear();
        int sent = h.Control.Sent.Count;

        Delta(h, delta);
        h.Advance(TimeSpan.Zero);

        Assert.Empty(h.Fdb.Operations);
        Assert.Equal(sent, h.Control.Sent.Count);
    }

    [Fact]
    public void Refresh_AfterFullList_CarriesTheHeldGenerationAndZeroForNone()
    {
        using var h = new CoreHarness();
        h.Links(Vxlan(10, 100, A), Vxlan(11, 200, A));
        Assert.Equal(0u, h.Control.Last.Generations![100]);
        Full(h, 100, 7, A, B);

        h.Advance(TimeSpan.FromSeconds(31));

        Assert.Equal(7u, h.Control.Last.Generations![100]);
        Assert.Equal(0u, h.Control.Last.Generations![200]);
    }

    [Fact]
    public void OnPeerList_CurrentGenerationStatedIsAnother_RegistersAtOnceWithWhatItHolds()
    {
        using var h = new CoreHarness();
        h.Links(Vxlan(10, 100, A));
        Full(h, 100, 41, A, B);
        h.Advance(TimeSpan.FromSeconds(2));
        int sent = h.Control.Sent.Count;

        Delta(h, new PeerListDelta(100, 43, 43, [], [])); // vxsnd's quiet VNI is at 43: the push 41->43 was lost
        h.Advance(TimeSpan.Zero);

        Assert.Equal([B], h.Fdb.EntryStrings(10));
        Assert.Equal(sent + 1, h.Control.Sent.Count);
        Assert.Equal(41u, h.Control.Last.Generations![100]);
    }

    [Fact]
    public void OnPeerList_CurrentGenerationStatedIsHeld_ChangesNothingAndAsksNothing()
    {
        using var h = new CoreHarness();
        h.Links(Vxlan(10, 100, A));
        Full(h, 100, 41, A, B);
        h.Advance(TimeSpan.FromSeconds(2));
        h.Fdb.Operations.Clear();
        int sent = h.Control.Sent.Count;

        Delta(h, new PeerListDelta(100, 41, 41, [], []));
        h.Advance(TimeSpan.Zero);

        Assert.Empty(h.Fdb.Operations);
        Assert.Equal(sent, h.Control.Sent.Count);
        Assert.Equal(41u, h.Core.HeldGeneration(100));
    }

    private static IPAddress Ip(string s) => IPAddress.Parse(s);

    private static void Full(CoreHarness h, uint vni, uint generation, params string[] members) =>
        h.Core.OnPeerList(new PeerListUpdate(new IPEndPoint(Ip(ServiceNode), 10001), TimeSpan.FromSeconds(90),
            new Dictionary<uint, IReadOnlyList<IPAddress>> { [vni] = [.. members.Select(Ip)] }, 1)
        { Generations = new Dictionary<uint, uint> { [vni] = generation } });

    private static void Delta(CoreHarness h, params PeerListDelta[] deltas) =>
        h.Core.OnPeerList(new PeerListUpdate(new IPEndPoint(Ip(ServiceNode), 10001), TimeSpan.FromSeconds(90),
            new Dictionary<uint, IReadOnlyList<IPAddress>>(), 2)
        { Deltas = deltas });
}
