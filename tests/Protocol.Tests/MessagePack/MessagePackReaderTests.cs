using Replicator.Protocol.MessagePack;

namespace Replicator.Protocol.Tests.MessagePack;

public class MessagePackReaderTests
{
    [Theory]
    [InlineData("05")]
    [InlineData("cc05")]
    [InlineData("cd0005")]
    [InlineData("ce00000005")]
    [InlineData("cf0000000000000005")]
    [InlineData("d005")]
    [InlineData("d10005")]
    [InlineData("d200000005")]
    [InlineData("d30000000000000005")]
    public void ReadUInt32_AnyIntegerEncodingOfFive_ReturnsFive(string hex)
    {
        var r = new MessagePackReader(Convert.FromHexString(hex));
        Assert.Equal(5u, r.ReadUInt32());
        Assert.True(r.End);
    }

    [Theory]
    [InlineData("a3616263")]
    [InlineData("d903616263")]
    [InlineData("da0003616263")]
    [InlineData("db00000003616263")]
    public void ReadString_AnyStrEncoding_ReturnsText(string hex)
    {
        var r = new MessagePackReader(Convert.FromHexString(hex));
        Assert.Equal("abc", r.ReadString());
    }

    [Theory]
    [InlineData("c0", MessagePackType.Nil)]
    [InlineData("c3", MessagePackType.Boolean)]
    [InlineData("ff", MessagePackType.Integer)]
    [InlineData("ca3fc00000", MessagePackType.Float)]
    [InlineData("a0", MessagePackType.String)]
    [InlineData("c400", MessagePackType.Binary)]
    [InlineData("90", MessagePackType.Array)]
    [InlineData("80", MessagePackType.Map)]
    [InlineData("d40100", MessagePackType.Extension)]
    [InlineData("c1", MessagePackType.Unknown)]
    public void PeekType_FormatByte_ReturnsFamily(string hex, MessagePackType expected)
    {
        Assert.Equal(expected, new MessagePackReader(Convert.FromHexString(hex)).PeekType());
    }

    [Theory]
    [InlineData("", MessagePackError.EndOfData)]
    [InlineData("cd01", MessagePackError.EndOfData)]
    [InlineData("c1", MessagePackError.ReservedFormat)]
    [InlineData("a1", MessagePackError.UnexpectedType)]
    [InlineData("ff", MessagePackError.IntegerOutOfRange)]
    [InlineData("ce00000001", MessagePackError.None)]
    [InlineData("cf0000000100000000", MessagePackError.IntegerOutOfRange)]
    public void ReadUInt32_BadInput_ThrowsTypedErrorAndKeepsPosition(string hex, MessagePackError expected)
    {
        byte[] bytes = Convert.FromHexString(hex);
        var r = new MessagePackReader(bytes);
        if (expected == MessagePackError.None)
        {
            Assert.Equal(1u, r.ReadUInt32());
            return;
        }
        MessagePackException e = Assert.Throws<MessagePackException>(() => { var rr = new MessagePackReader(bytes); rr.ReadUInt32(); });
        Assert.Equal(expected, e.Error);
        Assert.Contains("offset 0", e.Message);
    }

    [Fact]
    public void ReadUnsigned_AboveMaximum_LeavesPositionUnchanged()
    {
        var r = new MessagePackReader(Convert.FromHexString("cd0100"));
        try { r.ReadUnsigned(255, "thing"); Assert.Fail("no exception"); }
        catch (MessagePackException e) { Assert.Contains("thing 256", e.Message); }
        Assert.Equal(0, r.Position);
        Assert.Equal(256, r.ReadInt64());
    }

    [Fact]
    public void ReadStringSpan_InvalidUtf8_ThrowsInvalidUtf8()
    {
        var e = Assert.Throws<MessagePackException>(() => { var r = new MessagePackReader(Convert.FromHexString("a2c328")); r.ReadStringSpan(); });
        Assert.Equal(MessagePackError.InvalidUtf8, e.Error);
    }

    [Theory]
    [InlineData("ddffffffff0000000000", "array")]
    [InlineData("dfffffffff0000000000", "map")]
    [InlineData("c6ffffffff0000000000", "bin")]
    [InlineData("dbffffffff0000000000", "str")]
    [InlineData("dc0009000000000000", "array")]
    [InlineData("de0005000000000000", "map")]
    public void ReadHeader_DeclaredLengthBeyondBuffer_ThrowsLengthExceedsBuffer(string hex, string kind)
    {
        byte[] bytes = Convert.FromHexString(hex);
        var e = Assert.Throws<MessagePackException>(() =>
        {
            var r = new MessagePackReader(bytes);
            switch (kind)
            {
                case "array": r.ReadArrayHeader(); break;
                case "map": r.ReadMapHeader(); break;
                case "bin": r.ReadBinary(); break;
                default: r.ReadStringSpan(); break;
            }
        });
        Assert.Equal(MessagePackError.LengthExceedsBuffer, e.Error);
        Assert.Contains("declares", e.Message);
    }

    [Fact]
    public void ReadArrayHeader_HugeDeclaredCount_FailsWithoutAllocating()
    {
        byte[] bytes = Convert.FromHexString("ddffffffff0000000000");
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
        {
            try { var r = new MessagePackReader(bytes); r.ReadArrayHeader(); }
            catch (MessagePackException) { }
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        // Only the exception objects and their messages: well under 1 KB... per attempt, nothing sized by the claim.
        Assert.InRange(allocated, 0, 100 * 4096);
    }

    [Theory]
    [InlineData("93c0c2c3")]
    [InlineData("82a1610181c0c0a162c403010203")]
    [InlineData("d40100d5020000d6040000000000d70800000000000000000000d8100000000000000000000000000000000000000000")]
    [InlineData("c70101ffc8000101ffc90000000101ff")]
    [InlineData("ca3fc00000cb3ff8000000000000")]
    [InlineData("dc0001dd00000001de0001a0df00000001c0c0")]
    public void Skip_AnyValues_ConsumesExactlyThem(string hex)
    {
        byte[] bytes = Convert.FromHexString(hex + "2a");
        var r = new MessagePackReader(bytes);
        while (r.Remaining > 1) r.Skip();
        Assert.Equal(42, r.ReadInt64());
        Assert.True(r.End);
    }

    [Fact]
    public void Skip_NestingBeyondLimit_ThrowsDepthExceeded()
    {
        byte[] bytes = new byte[100];
        Array.Fill(bytes, (byte)0x91);
        bytes[^1] = 0xc0;
        var e = Assert.Throws<MessagePackException>(() => { var r = new MessagePackReader(bytes); r.Skip(); });
        Assert.Equal(MessagePackError.DepthExceeded, e.Error);
        var ok = new MessagePackReader(bytes);
        ok.Skip(maxDepth: 128);
        Assert.True(ok.End);
    }

    [Fact]
    public void Skip_Truncated_ThrowsAndKeepsPosition()
    {
        var r = new MessagePackReader(Convert.FromHexString("92c0"));
        try { r.Skip(); Assert.Fail("no exception"); }
        catch (MessagePackException e) { Assert.Equal(MessagePackError.LengthExceedsBuffer, e.Error); }
        Assert.Equal(0, r.Position);
    }
}
