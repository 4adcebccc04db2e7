using System.Net.Sockets;
using Replicator.Protocol.Control;
using Replicator.TestSupport;
using Xunit.Abstractions;

namespace Replicator.EndToEnd.Tests.Hostile;

/// <summary>
/// Probe 2 of docs/security.md, the AllVnis rule: a tiny Register with an empty VNI map asking for
/// <c>AllVnis</c>, its source a victim's address, used to make vxsnd send the victim every peer list
/// it has. Unsigned, <c>AllVnis</c> answers only the VNIs the source is a member of: a victim that
/// holds none gets nothing; one that holds a VNI gets that VNI's list only.
/// </summary>
[Collection(KernelCollection.Name)]
public sealed class AllVnisProbeTests(ITestOutputHelper output)
{
    private const int Vnis = 50;

    [KernelFact]
    public async Task AllVnis_UnsignedFromVictimAddress_AnswersOnlyTheVnisItHolds()
    {
        await using var lab = await UnsignedServiceNodeLab.StartAsync("hallvni", 4);
        // Three members, each from its own address, in VNIs 1..50.
        for (int n = 1; n <= 3; n++)
        {
            var member = UnsignedServiceNodeLab.Host(n);
            using var socket = lab.Bind(member);
            await lab.SendPacedAsync(socket, [UnsignedServiceNodeLab.Register($"member-{n}", 600, member, [.. Enumerable.Range(1, Vnis).Select(v => (uint)v)])]);
        }
        Assert.True(await lab.EventuallyAsync(f => f.Count == 3 * Vnis, TimeSpan.FromSeconds(5)));

        // The probe: sent with the victim's address as its source (here: from a socket bound to it).
        var victim = UnsignedServiceNodeLab.Host(4);
        using var probe = lab.Bind(victim, receiveTimeoutMs: 1500); // an answer slower than this on a busy machine would be missed
        byte[] question = ControlCodec.Encode(new RegisterMessage("x", 0, false, WireResponseWanted.AllVnis, []));
        await lab.SendPacedAsync(probe, [question]);
        var (datagrams, bytes, lists) = Collect(probe);
        output.WriteLine($"{question.Length}-byte AllVnis Register from the victim's address, registry of {Vnis} VNIs: "
            + $"peer-list bytes answered to the probe-2 datagram: {bytes} ({datagrams} datagrams, {lists} VNIs)");
        Assert.Equal((0, 0), (datagrams, bytes));

        // A source that holds one VNI learns that VNI's members, and no other VNI.
        await lab.SendPacedAsync(probe, [UnsignedServiceNodeLab.Register("victim", 600, victim, 7)]);
        Assert.True(await lab.EventuallyAsync(f => f.Any(e => e.Address == victim.ToString()), TimeSpan.FromSeconds(5)));
        await Task.Delay(300);
        Collect(probe); // pushes of its own arrival
        await lab.SendPacedAsync(probe, [question]);
        var (heldDatagrams, heldBytes, heldLists) = Collect(probe);
        output.WriteLine($"the same question from a member of VNI 7 only: {heldBytes} bytes ({heldDatagrams} datagrams, {heldLists} VNI)");
        Assert.Equal(1, heldLists);
    }

    /// <summary>What arrives on <paramref name="socket"/> until it stays quiet for its receive timeout.</summary>
    private static (int Datagrams, int Bytes, int Vnis) Collect(Socket socket)
    {
        var buffer = new byte[ControlLimits.MaxDatagramBytes];
        int datagrams = 0, bytes = 0, vnis = 0;
        while (true)
        {
            int n;
            try
            {
                n = socket.Receive(buffer);
            }
            catch (SocketException)
            {
                return (datagrams, bytes, vnis); // quiet for the receive timeout
            }
            datagrams++;
            bytes += n;
            if (ControlCodec.TryDecode(buffer.AsSpan(0, n), out var message, out _) && message is PeerListMessage list) vnis += list.Vnis.Count;
        }
    }
}
