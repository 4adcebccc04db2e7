using Replicator.Linux.Netlink;

namespace Replicator.Linux.Tests.Netlink;

public class NetlinkAttributeReaderTests
{
    [Fact]
    public void TryRead_LastAttributeWithoutPadding_IsAccepted()
    {
        // rta_len 5 (one byte of value) and no padding after it.
        byte[] bytes = [5, 0, 7, 0, 0x2A];
        var reader = new NetlinkAttributeReader(bytes);
        Assert.True(reader.TryRead(out var attribute));
        Assert.Equal(7, attribute.Type);
        Assert.True(attribute.TryGetUInt8(out byte value));
        Assert.Equal(0x2A, value);
        Assert.False(reader.TryRead(out _));
        Assert.Equal(NetlinkReadError.None, reader.Error);
    }

    [Theory]
    [InlineData(new byte[] { 3, 0, 1, 0 })]
    [InlineData(new byte[] { 9, 0, 1, 0, 1, 2, 3, 4 })]
    [InlineData(new byte[] { 0, 0, 1, 0 })]
    public void TryRead_BadLength_StopsWithBadLength(byte[] bytes)
    {
        var reader = new NetlinkAttributeReader(bytes);
        Assert.False(reader.TryRead(out _));
        Assert.Equal(NetlinkReadError.BadLength, reader.Error);
    }

    [Fact]
    public void TryRead_FewerBytesThanHeader_StopsWithTruncated()
    {
        byte[] bytes = [8, 0, 1, 0, 1, 2, 3, 4, 8, 0];
        var reader = new NetlinkAttributeReader(bytes);
        Assert.True(reader.TryRead(out _));
        Assert.False(reader.TryRead(out _));
        Assert.Equal(NetlinkReadError.Truncated, reader.Error);
    }

    [Fact]
    public void Type_NestedFlagSet_IsMasked()
    {
        byte[] bytes = [4, 0, 0x12, 0x80];
        var reader = new NetlinkAttributeReader(bytes);
        Assert.True(reader.TryRead(out var attribute));
        Assert.Equal(Nl.IFLA_LINKINFO, attribute.Type);
        Assert.Equal(0x8012, attribute.RawType);
        Assert.True(attribute.Value.IsEmpty);
    }

    [Fact]
    public void ValueAccessors_ShortValues_ReturnFalse()
    {
        byte[] bytes = [6, 0, 1, 0, 0x12, 0xB5];
        var reader = new NetlinkAttributeReader(bytes);
        reader.TryRead(out var attribute);
        Assert.False(attribute.TryGetUInt32(out _));
        Assert.True(attribute.TryGetUInt16BigEndian(out ushort port));
        Assert.Equal(4789, port);
    }

    [Fact]
    public void GetString_WithAndWithoutTerminator_StopsAtNul()
    {
        byte[] bytes = [10, 0, 3, 0, (byte)'v', (byte)'x', 0, (byte)'z', 0, 0, 0, 0, 6, 0, 3, 0, (byte)'a', (byte)'b'];
        var reader = new NetlinkAttributeReader(bytes);
        reader.TryRead(out var first);
        Assert.Equal("vx", first.GetString());
        Assert.True(first.ValueEquals("vx"u8));
        reader.TryRead(out var second);
        Assert.Equal("ab", second.GetString());
    }

    [Fact]
    public void TryFind_PresentAndAbsent()
    {
        byte[] bytes = [8, 0, 1, 0, 1, 0, 0, 0, 8, 0, 2, 0, 2, 0, 0, 0];
        var reader = new NetlinkAttributeReader(bytes);
        Assert.True(reader.TryFind(2, out var found));
        Assert.True(found.TryGetUInt32(out uint v));
        Assert.Equal(2u, v);
        Assert.False(new NetlinkAttributeReader(bytes).TryFind(3, out _));
    }
}
