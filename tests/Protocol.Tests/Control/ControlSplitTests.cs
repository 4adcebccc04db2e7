using System.Net;
using Replicator.Protocol.Control;

namespace Replicator.Protocol.Tests.Control;

public class ControlSplitTests
{
    [Theory]
    [InlineData(1, 1, ControlLimits.DefaultMaxDatagramBytes, false)]
    [InlineData(300, 3, ControlLimits.DefaultMaxDatagramBytes, false)]
    [InlineData(2, 500, ControlLimits.DefaultMaxDatagramBytes, false)]
    [InlineData(2, 500, ControlLimits.DefaultMaxDatagramBytes, true)]
    [InlineData(40, 40, 200, true)]
    [InlineData(40, 0, 64, false)]
    public void EncodeRegister_LargeMessage_SplitsWithinMaxAndKeepsEveryPair(int vnis, int perVni, int max, bool trailer)
    {
        var message = new RegisterMessage("vtep-a", 90, false, WireResponseWanted.AllVnis, Samples.ManyVnis(vnis, perVni));
        IReadOnlyList<byte[]> datagrams = ControlCodec.EncodeRegister(message, max, trailer);

        var union = new List<VniAddresses>();
        for (int i = 0; i < datagrams.Count; i++)
        {
            Assert.InRange(datagrams[i].Length, 1, max);
            Assert.True(ControlCodec.TryDecode(datagrams[i], out ControlMessage? decoded, out _, out string? detail), detail);
            var part = Assert.IsType<RegisterMessage>(decoded);
            Assert.Equal(i == 0 ? WireResponseWanted.AllVnis : WireResponseWanted.None, part.ResponseWanted);
            Assert.Equal(message.NodeId, part.NodeId);
            union.AddRange(part.Vnis);
        }
        AssertSameVniAddresses(message.Vnis, union);
    }

    [Theory]
    [InlineData(1, 0, ControlLimits.DefaultMaxDatagramBytes)]
    [InlineData(1000, 2, ControlLimits.DefaultMaxDatagramBytes)]
    [InlineData(1, 2000, ControlLimits.DefaultMaxDatagramBytes)]
    [InlineData(7, 33, 100)]
    public void EncodePeerList_LargeMessage_SplitsIntoNumberedParts(int vnis, int perVni, int max)
    {
        var message = new PeerListMessage(90, Samples.ManyVnis(vnis, perVni), Generation: 42);
        IReadOnlyList<byte[]> datagrams = ControlCodec.EncodePeerList(message, max);

        var union = new List<VniAddresses>();
        for (int i = 0; i < datagrams.Count; i++)
        {
            Assert.InRange(datagrams[i].Length, 1, max);
            Assert.True(ControlCodec.TryDecode(datagrams[i], out ControlMessage? decoded, out _, out string? detail), detail);
            var part = Assert.IsType<PeerListMessage>(decoded);
            Assert.Equal((42u, (ushort)i, (ushort)datagrams.Count), (part.Generation, part.PartIndex, part.PartCount));
            union.AddRange(part.Vnis);
        }
        AssertSameVniAddresses(message.Vnis, union);
    }

    [Fact]
    public void EncodeRegister_MaxTooSmallForOneEntry_ReturnsTypedError()
    {
        var message = Samples.RegisterIpv6;
        int fixedPart = ControlCodec.Encode(message with { Vnis = [] }).Length;
        Assert.False(ControlCodec.TryEncodeRegister(message, fixedPart + 3, false, out _, out ControlEncodeError error));
        Assert.Equal(ControlEncodeError.MaxSizeTooSmall, error);
        var e = Assert.Throws<ControlEncodeException>(() => ControlCodec.EncodeRegister(message, 10));
        Assert.Equal(ControlEncodeError.MaxSizeTooSmall, e.Error);
    }

    [Fact]
    public void EncodeRegister_MessageExactlyAtMax_IsOneDatagramAndOneByteLessSplits()
    {
        var message = new RegisterMessage("vtep-a", 90, false, WireResponseWanted.RegisteredVnis, Samples.ManyVnis(20, 5));
        int exact = ControlCodec.Encode(message).Length;
        IReadOnlyList<byte[]> one = ControlCodec.EncodeRegister(message, exact);
        Assert.Single(one);
        Assert.Equal(ControlCodec.Encode(message), one[0]);
        IReadOnlyList<byte[]> two = ControlCodec.EncodeRegister(message, exact - 1);
        Assert.Equal(2, two.Count);
        Assert.All(two, d => Assert.True(d.Length <= exact - 1));
    }

    [Fact]
    public void EncodePeerList_ManyMaxima_EveryPartWithinMaxFullAndUnionEqualsInput()
    {
        var random = new Random(7);
        for (int round = 0; round < 60; round++)
        {
            var vnis = Samples.ManyVnis(1 + random.Next(30), random.Next(25), firstVni: (uint)random.Next(16_000_000));
            int max = 90 + random.Next(1400);
            var message = new PeerListMessage((uint)random.Next(1000), vnis, Generation: (uint)round);
            IReadOnlyList<byte[]> parts = ControlCodec.EncodePeerList(message, max, reserveAuthenticationTrailer: round % 2 == 0);
            var union = new List<VniAddresses>();
            for (int i = 0; i < parts.Count; i++)
            {
                Assert.InRange(parts[i].Length, 1, max);
                // Greedy packing: a part is closed only when the next entry (at most ~30 bytes) does not fit.
                if (i < parts.Count - 1) Assert.True(parts[i].Length > max - 32, $"part {i} of {parts.Count}: {parts[i].Length} bytes of {max}");
                Assert.True(ControlCodec.TryDecode(parts[i], out ControlMessage? m, out _, out string? detail), detail);
                union.AddRange(((PeerListMessage)m).Vnis);
            }
            AssertSameVniAddresses(vnis, union);
        }
    }

    [Fact]
    public void EncodeRegister_DefaultMax_FitsIpv6Mtu()
    {
        IReadOnlyList<byte[]> parts = ControlCodec.EncodeRegister(new RegisterMessage("vtep-a", 90, false, WireResponseWanted.None, Samples.ManyVnis(400, 4)));
        Assert.True(parts.Count > 1);
        Assert.All(parts, p => Assert.True(p.Length + 40 + 8 <= 1500));
    }

    [Fact]
    public void Encode_TooManyVnisForOneMessage_ThrowsButSplitSucceeds()
    {
        var message = new RegisterMessage("vtep-a", 90, false, WireResponseWanted.None, Samples.ManyVnis(ControlLimits.MaxEntriesPerMessage + 1, 0, firstVni: 0));
        Assert.Equal(ControlEncodeError.TooManyEntries, Assert.Throws<ControlEncodeException>(() => ControlCodec.Encode(message)).Error);
        IReadOnlyList<byte[]> parts = ControlCodec.EncodeRegister(message, ControlLimits.MaxDatagramBytes);
        Assert.True(parts.Count >= 2);
    }

    [Theory]
    [InlineData("duplicate", ControlEncodeError.DuplicateVni)]
    [InlineData("node id", ControlEncodeError.InvalidNodeId)]
    [InlineData("long node id", ControlEncodeError.InvalidNodeId)]
    [InlineData("surrogate", ControlEncodeError.InvalidNodeId)]
    [InlineData("vni", ControlEncodeError.VniOutOfRange)]
    [InlineData("wanted", ControlEncodeError.InvalidValue)]
    [InlineData("max too large", ControlEncodeError.MaxSizeTooLarge)]
    public void TryEncodeRegister_InvalidInput_ReturnsTypedError(string scenario, ControlEncodeError expected)
    {
        RegisterMessage m = Samples.RegisterIpv4;
        int max = ControlLimits.DefaultMaxDatagramBytes;
        switch (scenario)
        {
            case "duplicate": m = m with { Vnis = [.. m.Vnis, m.Vnis[0]] }; break;
            case "node id": m = m with { NodeId = "" }; break;
            case "long node id": m = m with { NodeId = new string('\u00e9', 128) }; break;
            case "surrogate": m = m with { NodeId = "a\ud800" }; break;
            case "vni": m = m with { Vnis = [new VniAddresses(16_777_216, [])] }; break;
            case "wanted": m = m with { ResponseWanted = (WireResponseWanted)3 }; break;
            default: max = ControlLimits.MaxDatagramBytes + 1; break;
        }
        Assert.False(ControlCodec.TryEncodeRegister(m, max, false, out IReadOnlyList<byte[]> datagrams, out ControlEncodeError error));
        Assert.Equal(expected, error);
        Assert.Empty(datagrams);
        if (scenario != "max too large") Assert.Equal(expected, Assert.Throws<ControlEncodeException>(() => ControlCodec.Encode(m)).Error);
    }

    /// <summary>Merges parts by VNI in order of appearance and compares with the input.</summary>
    internal static void AssertSameVniAddresses(IReadOnlyList<VniAddresses> expected, IEnumerable<VniAddresses> parts)
    {
        var merged = new List<(uint Vni, List<IPAddress> Addresses)>();
        foreach (VniAddresses p in parts)
        {
            if (merged.Count > 0 && merged[^1].Vni == p.Vni) merged[^1].Addresses.AddRange(p.Addresses);
            else merged.Add((p.Vni, [.. p.Addresses]));
        }
        Assert.Equal(expected.Count, merged.Count);
        for (int i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i].Vni, merged[i].Vni);
            Assert.Equal(expected[i].Addresses, merged[i].Addresses);
        }
    }
}
