using System.Net;
using Microsoft.Extensions.Time.Testing;
using Replicator.Protocol.Control;
using Replicator.RegistrationDaemon.Registration;

namespace Replicator.RegistrationDaemon.Tests.Registration;

/// <summary>Split deltas and generations through the assembler (PROTOCOL.md 5.2, 6).</summary>
public sealed class PeerListAssemblerDeltaTests
{
    private static readonly IPEndPoint Sn = new(IPAddress.Parse("203.0.113.1"), 10001);

    private static List<IPAddress> Addresses(int count, int third) => [.. Enumerable.Range(0, count).Select(i => new IPAddress([198, 51, (byte)third, (byte)i]))];

    [Fact]
    public void Add_DeltaSplitByTheCodec_JoinedIntoTheOriginalDelta()
    {
        var delta = new PeerListDelta(100, 41, 42, Addresses(250, 100), Addresses(250, 101));
        var datagrams = ControlCodec.EncodePeerList(new PeerListMessage(90, [], Generation: 3) { Deltas = [delta] });
        Assert.True(datagrams.Count > 1);
        var assembler = new PeerListAssembler();
        PeerListUpdate? update = null;
        foreach (var d in datagrams.Reverse())
        {
            Assert.True(ControlCodec.TryDecode(d, out var decoded, out _));
            update = assembler.Add(Sn, (PeerListMessage)decoded);
        }
        Assert.NotNull(update);
        Assert.Equal(delta, Assert.Single(update.Deltas!));
        Assert.Empty(update.Members);
    }

    [Fact]
    public void Add_FullListSplitWithGenerations_GenerationPerVni()
    {
        var message = new PeerListMessage(90, [new VniAddresses(100, Addresses(300, 100)), new VniAddresses(200, Addresses(3, 7))], Generation: 3)
        {
            Generations = [new VniGeneration(100, 9), new VniGeneration(200, 12)],
        };
        var assembler = new PeerListAssembler();
        PeerListUpdate? update = null;
        foreach (var d in ControlCodec.EncodePeerList(message))
        {
            Assert.True(ControlCodec.TryDecode(d, out var decoded, out _));
            update = assembler.Add(Sn, (PeerListMessage)decoded);
        }
        Assert.NotNull(update);
        Assert.Equal(new Dictionary<uint, uint> { [100] = 9, [200] = 12 }, update.Generations);
        Assert.Equal(300, update.Members[100].Count);
    }

    [Fact]
    public void Add_DeltaWithALostPart_ExpiresAndIsNotApplied()
    {
        var time = new FakeTimeProvider();
        var delta = new PeerListDelta(100, 41, 42, Addresses(250, 100), []);
        var datagrams = ControlCodec.EncodePeerList(new PeerListMessage(90, [], Generation: 3) { Deltas = [delta] });
        var assembler = new PeerListAssembler(time);
        for (int i = 1; i < datagrams.Count; i++)
        {
            Assert.True(ControlCodec.TryDecode(datagrams[i], out var decoded, out _));
            Assert.Null(assembler.Add(Sn, (PeerListMessage)decoded));
        }
        Assert.Equal(1, assembler.PendingLists);
        time.Advance(PeerListAssembler.PendingLifetime);
        // Anything that arrives next clears what could not complete in time.
        Assert.NotNull(assembler.Add(Sn, new PeerListMessage(90, [], Generation: 4)));
        Assert.Equal(0, assembler.PendingLists);
        Assert.Equal(0, assembler.PendingParts);
    }
}
