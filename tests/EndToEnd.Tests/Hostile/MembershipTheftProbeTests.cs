using Replicator.Protocol.Control;
using Replicator.TestSupport;
using Xunit.Abstractions;

namespace Replicator.EndToEnd.Tests.Hostile;

/// <summary>
/// Probe 4 of docs/security.md: an attacker at another address, unsigned, tries every way to remove or
/// re-own a victim's memberships: a withdrawal with the victim's node id; a re-registration of the
/// victim's address under a new node id (which would drop the old incarnation's entries) followed
/// by a withdrawal; and both again marked relayed, as if from a cluster peer. Without a signature
/// withdrawals and node-id changes for an address are accepted only from that address: the victim
/// stays in every VNI, and its own withdrawal still works.
/// </summary>
[Collection(KernelCollection.Name)]
public sealed class MembershipTheftProbeTests(ITestOutputHelper output)
{
    private static readonly uint[] Vnis = [100, 101, 102, 103, 104];

    [KernelFact]
    public async Task Steal_WithdrawOrReRegisterVictimFromAnotherAddress_VictimStaysInEveryVni()
    {
        await using var lab = await UnsignedServiceNodeLab.StartAsync("htheft", 2);
        var victim = UnsignedServiceNodeLab.Host(1);
        var attacker = UnsignedServiceNodeLab.Host(2);
        using var victimSocket = lab.Bind(victim);
        using var attackerSocket = lab.Bind(attacker);
        await lab.SendPacedAsync(victimSocket, [UnsignedServiceNodeLab.Register("victim", 600, victim, Vnis)]);
        Assert.True(await lab.EventuallyAsync(f => f.Count(e => e.Address == victim.ToString()) == Vnis.Length, TimeSpan.FromSeconds(5)));

        byte[] Message(string nodeId, uint hold, bool relayed) =>
            ControlCodec.Encode(new RegisterMessage(nodeId, hold, relayed, WireResponseWanted.None, [.. Vnis.Select(v => new VniAddresses(v, [victim]))]));
        byte[][] attempts =
        [
            Message("victim", 0, relayed: false),  // withdrawal with the victim's node id
            Message("thief", 600, relayed: false), // the victim's address under a new node id: a "restart" that drops its entries
            Message("thief", 0, relayed: false),   // then withdrawn under that id
            Message("victim", 0, relayed: true),   // the same, posing as a cluster peer's relay
            Message("thief", 600, relayed: true),
            Message("thief", 0, relayed: true),
        ];
        await lab.SendPacedAsync(attackerSocket, attempts);
        double mismatch = await lab.DropsAsync("source_mismatch", 3);
        double notPeer = await lab.DropsAsync("relay_not_peer", 3);

        var held = (await lab.Daemon.FdbAsync()).Where(e => e.Address == victim.ToString()).ToList();
        int stolen = Vnis.Count(v => !held.Any(e => e.Vni == v && e.NodeId == "victim"));
        output.WriteLine($"{attempts.Length} theft attempts from {attacker}: {mismatch} dropped as source_mismatch, {notPeer} as relay_not_peer; "
            + $"stolen memberships: {stolen} of {Vnis.Length}");
        Assert.Equal((3, 3), (mismatch, notPeer));
        Assert.Equal(0, stolen);

        // The victim itself, unsigned, still withdraws what it holds.
        await lab.SendPacedAsync(victimSocket, [UnsignedServiceNodeLab.Register("victim", 0, victim, 104)]);
        Assert.True(await lab.EventuallyAsync(f => f.Count(e => e.Address == victim.ToString()) == Vnis.Length - 1, TimeSpan.FromSeconds(5)),
            "the victim's own withdrawal was not applied");
    }
}
