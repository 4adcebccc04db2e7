using System.Net;
using Replicator.RegistrationDaemon.Registration;
using Replicator.RegistrationDaemon.Tests.Fakes;
using static Replicator.RegistrationDaemon.Tests.Fakes.CoreHarness;

namespace Replicator.RegistrationDaemon.Tests.Daemon;

/// <summary>
/// A split peer list that lost a part (PROTOCOL.md 5.2, "incomplete lists"): found on the timer once no
/// part came for <see cref="PeerListAssembler.QuietLimit"/>, repaired by registering again at once (at most
/// once a second) while its parts are kept, looked at again only after another quiet period, and parts on
/// their way count as contact, so the retry for silence neither fires nor doubles.
/// </summary>
public sealed class DaemonCoreIncompleteListTests
{
    private const string A = "198.51.100.1", B = "198.51.100.2";

    [Fact]
    public void OnTimer_NoPartForQuietLimit_GivesListUpAndRegistersAtOnceWithWhatItHolds()
    {
        using var h = HoldingGeneration41(out int sent);

        Part(h);
        h.Advance(PeerListAssembler.QuietLimit - TimeSpan.FromMilliseconds(1));
        Assert.Equal(sent, h.Control.Sent.Count);
        Assert.Empty(h.Control.RepairCalls);
        h.Advance(TimeSpan.FromMilliseconds(1));

        Assert.Equal([PeerListAssembler.QuietLimit], h.Control.RepairCalls);
        Assert.Equal(0, h.Control.Incomplete);
        Assert.Equal(sent + 1, h.Control.Sent.Count);
        Assert.True(h.Control.Last.WantPeerLists);
        Assert.Equal(41u, h.Control.Last.Generations![100]);
        Assert.Equal(1, h.Meters.Total("vxrd.peerlists.incomplete"));
        Assert.Equal(1, h.Meters.Total("vxrd.peerlists.resyncs"));
    }

    [Fact]
    public void OnPeerList_PartsKeepArriving_NoRetryUntilTheyStopThenOneRegistrationAndRetryFromOneSecond()
    {
        using var h = new CoreHarness();
        h.Links(Vxlan(10, 100, A)); // registers; silence would retry after 1, 2, 4 s
        int sent = h.Control.Sent.Count;

        // A long list trickling in for 3 s (parts 200 ms apart): the service node is alive.
        for (int i = 0; i < 15; i++)
        {
            Part(h);
            h.Advance(TimeSpan.FromMilliseconds(200));
        }
        Assert.Equal(sent, h.Control.Sent.Count);
        Assert.Empty(h.Control.RepairCalls);

        // The parts stop without completing the list: given up and asked for again.
        h.Advance(PeerListAssembler.QuietLimit);
        Assert.Equal(sent + 1, h.Control.Sent.Count);

        // Then silence: the retry starts again from one second, it did not double while parts arrived.
        h.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(sent + 2, h.Control.Sent.Count);
    }

    [Fact]
    public void OnPeerList_ListCompletes_NothingGivenUpNoExtraRegistration()
    {
        using var h = HoldingGeneration41(out int sent);

        Part(h);
        h.Advance(TimeSpan.FromMilliseconds(100));
        h.Control.Incomplete = 0;
        Full(h, 100, 42, A, B); // the last part: complete, nothing else held

        h.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(sent, h.Control.Sent.Count);
        Assert.Empty(h.Control.RepairCalls);
        Assert.Equal(42u, h.Core.HeldGeneration(100));
    }

    [Fact]
    public void OnTimer_IncompleteListsInARow_RegistersAtMostOnceASecond()
    {
        using var h = HoldingGeneration41(out int sent);

        Part(h);
        h.Advance(PeerListAssembler.QuietLimit);
        Assert.Equal(sent + 1, h.Control.Sent.Count);
        Part(h); // the answer's list lost a part too
        h.Advance(PeerListAssembler.QuietLimit);
        Assert.Equal(sent + 1, h.Control.Sent.Count);
        Assert.Equal(2, h.Control.RepairCalls.Count); // given up at once all the same: memory stays bounded

        h.Advance(TimeSpan.FromSeconds(1) - PeerListAssembler.QuietLimit);
        Assert.Equal(sent + 2, h.Control.Sent.Count);
        Assert.Equal(2, h.Meters.Total("vxrd.peerlists.incomplete"));
    }

    [Fact]
    public void OnTimer_ListKeptAfterRepair_LookedAtOncePerQuietPeriodAndRegistersAtMostOnceASecond()
    {
        using var h = HoldingGeneration41(out int sent);
        h.Control.KeepsLists = true;

        Part(h);
        h.Advance(PeerListAssembler.QuietLimit);
        Assert.Single(h.Control.RepairCalls);
        Assert.Equal(sent + 1, h.Control.Sent.Count);

        // Still incomplete (the repeated answer is lost too): one look per quiet period, not per timer tick.
        h.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(1 + 4, h.Control.RepairCalls.Count);
        Assert.Equal(sent + 3, h.Control.Sent.Count); // one registration a second
        Assert.Equal(5, h.Meters.Total("vxrd.peerlists.incomplete"));
    }

    [Fact]
    public void OnPeerList_RepairedListWithAnOlderGeneration_NotTakenForARestart()
    {
        using var h = HoldingGeneration41(out _);
        h.PeerListGeneration(500, 100, A, B); // newer messages came while the list was being repaired

        h.Core.OnPeerList(new PeerListUpdate(new IPEndPoint(IPAddress.Parse(ServiceNode), 10001), TimeSpan.FromSeconds(90),
            new Dictionary<uint, IReadOnlyList<IPAddress>> { [100] = [IPAddress.Parse(A), IPAddress.Parse(B)] }, 400)
        { Generations = new Dictionary<uint, uint> { [100] = 42 }, Repaired = true });

        Assert.False(h.Core.Relearning);
        Assert.Equal(42u, h.Core.HeldGeneration(100));
    }

    // A daemon that registered VNI 100, holds its list at generation 41 and is past its first retry; `sent`: registrations so far.
    private static CoreHarness HoldingGeneration41(out int sent)
    {
        var h = new CoreHarness();
        h.Links(Vxlan(10, 100, A));
        Full(h, 100, 41, A, B);
        h.Advance(TimeSpan.FromSeconds(2));
        sent = h.Control.Sent.Count;
        return h;
    }

    private static void Part(CoreHarness h)
    {
        h.Control.Incomplete = 1;
        h.Core.OnPeerList(PeerListUpdate.Part(new IPEndPoint(IPAddress.Parse(ServiceNode), 10001), 1));
    }

    private static void Full(CoreHarness h, uint vni, uint generation, params string[] members) =>
        h.Core.OnPeerList(new PeerListUpdate(new IPEndPoint(IPAddress.Parse(ServiceNode), 10001), TimeSpan.FromSeconds(90),
            new Dictionary<uint, IReadOnlyList<IPAddress>> { [vni] = [.. members.Select(IPAddress.Parse)] }, 1)
        { Generations = new Dictionary<uint, uint> { [vni] = generation } });
}
