using System.Buffers;
using Replicator.Protocol.MessagePack;

namespace Replicator.Protocol.Tests.MessagePack;

public class MessagePackRoundTripTests
{
    [Theory]
    [InlineData(0ul, "00")]
    [InlineData(127ul, "7f")]
    [InlineData(128ul, "cc80")]
    [InlineData(255ul, "ccff")]
    [InlineData(256ul, "cd0100")]
    [InlineData(65535ul, "cdffff")]
    [InlineData(65536ul, "ce00010000")]
    [InlineData(4294967295ul, "ceffffffff")]
    [InlineData(4294967296ul, "cf0000000100000000")]
    [InlineData(ulong.MaxValue, "cfffffffffffffffff")]
    public void WriteUInt64_Value_UsesSmallestEncoding(ulong value, string hex)
    {
        byte[] bytes = Write((ref MessagePackWriter w) => w.WriteUInt64(value));
        Assert.Equal(hex, Convert.ToHexStringLower(bytes));
        Assert.Equal(bytes.Length, MessagePackSize.UnsignedInteger(value));
        var r = new MessagePackReader(bytes);
        Assert.Equal(value, r.ReadUInt64());
        Assert.True(r.End);
    }

    [Theory]
    [InlineData(-1L, "ff")]
    [InlineData(-32L, "e0")]
    [InlineData(-33L, "d0df")]
    [InlineData(-128L, "d080")]
    [InlineData(-129L, "d1ff7f")]
    [InlineData(-32768L, "d18000")]
    [InlineData(-32769L, "d2ffff7fff")]
    [InlineData(-2147483648L, "d280000000")]
    [InlineData(-2147483649L, "d3ffffffff7fffffff")]
    [InlineData(long.MinValue, "d38000000000000000")]
    [InlineData(5L, "05")]
    public void WriteInt64_Value_UsesSmallestEncoding(long value, string hex)
    {
        byte[] bytes = Write((ref MessagePackWriter w) => w.WriteInt64(value));
        Assert.Equal(hex, Convert.ToHexStringLower(bytes));
        var r = new MessagePackReader(bytes);
        Assert.Equal(value, r.ReadInt64());
    }

    [Theory]
    [InlineData(0, "a0")]
    [InlineData(31, "bf")]
    [InlineData(32, "d920")]
    [InlineData(255, "d9ff")]
    [InlineData(256, "da0100")]
    [InlineData(65535, "daffff")]
    [InlineData(65536, "db00010000")]
    public void WriteString_Length_UsesSmallestHeader(int length, string headerHex)
    {
        string s = new('x', length);
        byte[] bytes = Write((ref MessagePackWriter w) => w.WriteString(s));
        Assert.StartsWith(headerHex, Convert.ToHexStringLower(bytes));
        Assert.Equal(MessagePackSize.String(length), bytes.Length);
        var r = new MessagePackReader(bytes);
        Assert.Equal(s, r.ReadString());
        Assert.True(r.End);
    }

    [Theory]
    [InlineData(0, "c400")]
    [InlineData(255, "c4ff")]
    [InlineData(256, "c50100")]
    [InlineData(65536, "c600010000")]
    public void WriteBinary_Length_UsesSmallestHeader(int length, string headerHex)
    {
        byte[] payload = new byte[length];
        new Random(length).NextBytes(payload);
        byte[] bytes = Write((ref MessagePackWriter w) => w.WriteBinary(payload));
        Assert.StartsWith(headerHex, Convert.ToHexStringLower(bytes));
        var r = new MessagePackReader(bytes);
        Assert.Equal(payload, r.ReadBinary().ToArray());
    }

    [Theory]
    [InlineData(0, "90", "80")]
    [InlineData(15, "9f", "8f")]
    [InlineData(16, "dc0010", "de0010")]
    [InlineData(65535, "dcffff", "deffff")]
    [InlineData(65536, "dd00010000", "df00010000")]
    public void WriteCollectionHeaders_Count_UsesSmallestHeader(int count, string arrayHex, string mapHex)
    {
        Assert.Equal(arrayHex, Convert.ToHexStringLower(Write((ref MessagePackWriter w) => w.WriteArrayHeader(count))));
        Assert.Equal(mapHex, Convert.ToHexStringLower(Write((ref MessagePackWriter w) => w.WriteMapHeader(count))));
    }

    [Fact]
    public void WriteNilAndBooleans_AreSingleBytes()
    {
        Assert.Equal("c0c2c3", Convert.ToHexStringLower(Write((ref MessagePackWriter w) => { w.WriteNil(); w.WriteBoolean(false); w.WriteBoolean(true); })));
    }

    [Fact]
    public void Writer_SpanTooSmall_ThrowsBufferTooSmall()
    {
        byte[] buffer = new byte[2];
        var e = Assert.Throws<MessagePackException>(() =>
        {
            var w = new MessagePackWriter(buffer);
            w.WriteUInt64(70000);
        });
        Assert.Equal(MessagePackError.BufferTooSmall, e.Error);
    }

    [Fact]
    public void Writer_Span_ReportsBytesWritten()
    {
        byte[] buffer = new byte[16];
        var w = new MessagePackWriter(buffer);
        w.WriteArrayHeader(2);
        w.WriteUInt32(300);
        w.WriteBoolean(true);
        Assert.Equal("92cd012cc3", Convert.ToHexStringLower(buffer.AsSpan(0, w.BytesWritten)));
    }

    internal delegate void WriteAction(ref MessagePackWriter writer);

    internal static byte[] Write(WriteAction action)
    {
        var output = new ArrayBufferWriter<byte>();
        var writer = new MessagePackWriter(output);
        action(ref writer);
        Assert.Equal(output.WrittenCount, writer.BytesWritten);
        return output.WrittenSpan.ToArray();
    }
}
