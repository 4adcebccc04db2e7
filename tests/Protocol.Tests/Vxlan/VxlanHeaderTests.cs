using Replicator.Protocol.Vxlan;

namespace Replicator.Protocol.Tests.Vxlan;

public class VxlanHeaderTests
{
    [Theory]
    [InlineData(0u)]
    [InlineData(100u)]
    [InlineData(0xFF_FFFFu)]
    public void Write_ThenParse_RoundTrips(uint vni)
    {
        var buf = new byte[8];
        new VxlanHeader(vni).Write(buf);
        Assert.True(VxlanHeader.TryParse(buf, out var h, out var err));
        Assert.Equal(VxlanParseError.None, err);
        Assert.Equal(vni, h.Vni);
    }

    [Fact]
    public void Write_Vni100_MatchesRfc7348Bytes()
    {
        var buf = new byte[8];
        new VxlanHeader(100).Write(buf);
        Assert.Equal(Convert.FromHexString("0800000000006400"), buf);
    }

    [Fact]
    public void TryParse_ReservedBitsSet_AreIgnored()
    {
        Assert.True(VxlanHeader.TryParse(Convert.FromHexString("FFFFFFFF000064FF"), out var h, out _));
        Assert.Equal(100u, h.Vni);
    }

    [Fact]
    public void TryParse_MissingIFlag_Fails()
    {
        Assert.False(VxlanHeader.TryParse(Convert.FromHexString("0000000000006400"), out _, out var err));
        Assert.Equal(VxlanParseError.MissingIFlag, err);
    }

    [Fact]
    public void TryParse_TooShort_Fails()
    {
        Assert.False(VxlanHeader.TryParse(new byte[7], out _, out var err));
        Assert.Equal(VxlanParseError.TooShort, err);
    }

    [Fact]
    public void Write_VniTooLarge_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new VxlanHeader(0x100_0000).Write(new byte[8]));
}
