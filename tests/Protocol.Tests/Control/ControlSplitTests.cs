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
        var message = new RegisterMessage("vtep-a", 90, false, ResponseWanted.AllVnis, Samples.ManyVnis(vnis, perVni));
        IReadOnlyList<byte[]> datagrams = ControlCodec.EncodeRegister(message, max, trailer);

        var union = new List<VniAddresses>();
        for (int i = 0; i < datagrams.Count; i++)
        {
            Assert.InRange(datagrams[i].Length, 1, max);
            Assert.True(ControlCodec.TryDecode(datagrams[i], out ControlMessage? decoded, out _, out string? detail), detail);
            var part = Assert.IsType<RegisterMessage>(decoded);
            Assert.Equal(i == 0 ? ResponseWanted.AllVnis : ResponseWanted.None, part.ResponseWanted);
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
