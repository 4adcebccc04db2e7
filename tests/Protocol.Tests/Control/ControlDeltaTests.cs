using System.Net;
using Replicator.Protocol.Control;

namespace Replicator.Protocol.Tests.Control;

/// <summary>Peer-list generations and deltas (PROTOCOL.md 5.2): round trips, splitting, refusals.</summary>
public class ControlDeltaTests
{
    [Fact]
    public void Encode_DeltaAndGenerations_RoundTrip()
    {
        foreach (ControlMessage message in new ControlMessage[] { Samples.RegisterWithGenerations, Samples.PeerListWithGenerations, Samples.PeerListDelta })
        {
            Assert.True(ControlCodec.TryDecode(ControlCodec.Encode(message), out ControlMessage? decoded, out _, out string? detail), detail);
            Assert.Equal(message, decoded);
        }
    }

    [Theory]
    [InlineData(1, 3000, 0, ControlLimits.DefaultMaxDatagramBytes)]
    [InlineData(1, 0, 3000, ControlLimits.DefaultMaxDatagramBytes)]
    [InlineData(50, 40, 40, ControlLimits.DefaultMaxDatagramBytes)]
    [InlineData(9, 7, 5, 120)]
    [InlineData(3, 0, 0, 80)]
    public void EncodePeerList_LargeDeltas_SplitWithinMaxAndJoinToTheSameChanges(int deltas, int added, int removed, int max)
    {
        var list = new List<PeerListDelta>();
        for (int d = 0; d < deltas; d++)
        {
            List<VniAddresses> a = Samples.ManyVnis(1, added, firstVni: 100 + (uint)d), r = Samples.ManyVnis(1, removed, firstVni: 5000 + (uint)d);
            list.Add(new PeerListDelta(100 + (uint)d, 7, 8, a[0].Addresses, r[0].Addresses));
        }
        var message = new PeerListMessage(90, [], Generation: 3) { Deltas = list, Cookie = Samples.ExampleCookie };
        IReadOnlyList<byte[]> datagrams = ControlCodec.EncodePeerList(message, max);

        var pieces = new List<PeerListDelta>();
        for (int i = 0; i < datagrams.Count; i++)
        {
            Assert.InRange(datagrams[i].Length, 1, max);
            Assert.True(ControlCodec.TryDecode(datagrams[i], out ControlMessage? decoded, out _, out string? detail), detail);
            var part = Assert.IsType<PeerListMessage>(decoded);
            Assert.Equal((3u, (ushort)i, (ushort)datagrams.Count), (part.Generation, part.PartIndex, part.PartCount));
            Assert.Empty(part.Vnis);
            Assert.Equal(Samples.ExampleCookie, part.Cookie);
            pieces.AddRange(part.Deltas!);
        }
        // Pieces of one delta follow each other under the same VNI and generations: joined, they are the original.
        var joined = new List<PeerListDelta>();
        foreach (var p in pieces)
        {
            if (joined.Count > 0 && joined[^1] is var last && last.Vni == p.Vni && last.BaseGeneration == p.BaseGeneration && last.Generation == p.Generation)
                joined[^1] = last with { Added = [.. last.Added, .. p.Added], Removed = [.. last.Removed, .. p.Removed] };
            else
                joined.Add(p);
        }
        Assert.Equal(list, joined);
    }

    [Fact]
    public void EncodeRegister_ManyVnisWithGenerations_EachPartCarriesTheGenerationsOfItsVnis()
    {
        var vnis = Samples.ManyVnis(400, 1);
        var generations = vnis.Select((v, i) => new VniGeneration(v.Vni, (uint)(i * 1000))).ToList();
        var message = new RegisterMessage("vtep-a", 90, false, WireResponseWanted.RegisteredVnis, vnis) { Generations = generations, Cookie = Samples.ExampleCookie };
        IReadOnlyList<byte[]> datagrams = ControlCodec.EncodeRegister(message);

        Assert.True(datagrams.Count > 1);
        var seen = new List<VniGeneration>();
        foreach (byte[] datagram in datagrams)
        {
            Assert.InRange(datagram.Length, 1, ControlLimits.DefaultMaxDatagramBytes);
            Assert.True(ControlCodec.TryDecode(datagram, out ControlMessage? decoded, out _, out string? detail), detail);
            var part = Assert.IsType<RegisterMessage>(decoded);
            Assert.Equal(part.Vnis.Select(v => v.Vni), part.Generations!.Select(g => g.Vni));
            seen.AddRange(part.Generations!);
        }
        Assert.Equal(generations, seen);
    }

    [Fact]
    public void TryWriteCookie_DeltaWithCookie_RewritesTheLastSixteenBytes()
    {
        byte[] datagram = ControlCodec.Encode(Samples.PeerListDelta);
        Assert.True(ControlCodec.TryWriteCookie(datagram, UInt128.One));
        Assert.True(ControlCodec.TryDecode(datagram, out ControlMessage? decoded, out _));
        Assert.Equal(Samples.PeerListDelta with { Cookie = UInt128.One }, decoded);
    }

    [Fact]
    public void TryEncodePeerList_DeltasWithVniLists_RefusedSoOldReceiversNeverSeeAPartialList()
    {
        var message = Samples.PeerListDelta with { Vnis = [new VniAddresses(100, [IPAddress.Parse("192.0.2.1")])] };
        Assert.False(ControlCodec.TryEncodePeerList(message, ControlLimits.DefaultMaxDatagramBytes, false, out _, out ControlEncodeError error));
        Assert.Equal(ControlEncodeError.InvalidValue, error);
    }

    [Theory]
    [InlineData("86 00 5a 01 80 02 0a 03 00 04 01 07 91 94 64 29 2a 90", ControlDecodeError.MalformedBody)] // a delta of 4 fields
    [InlineData("86 00 5a 01 80 02 0a 03 00 04 01 06 82 64 29 64 2a", ControlDecodeError.DuplicateVni)] // VNI 100 with two generations
    [InlineData("86 00 5a 01 80 02 0a 03 00 04 01 07 91 95 ce 01 00 00 00 01 02 90 90", ControlDecodeError.VniOutOfRange)]
    [InlineData("86 00 5a 01 80 02 0a 03 00 04 01 07 91 95 64 01 02 91 c4 03 c0 00 02 90", ControlDecodeError.BadAddressLength)]
    [InlineData("86 00 5a 01 80 02 0a 03 00 04 01 06 81 64 cf 00 00 00 01 00 00 00 00", ControlDecodeError.MalformedBody)] // generation above 32 bits
    public void TryDecode_BadGenerationsOrDeltas_TypedError(string body, ControlDecodeError expected)
    {
        byte[] datagram = [0x56, 0x52, 0x01, 0x02, 0x00, .. Convert.FromHexString(body.Replace(" ", "", StringComparison.Ordinal))];
        Assert.False(ControlCodec.TryDecode(datagram, out _, out ControlDecodeError error, out string? detail));
        Assert.True(expected == error, $"{error}: {detail}");
    }
}
