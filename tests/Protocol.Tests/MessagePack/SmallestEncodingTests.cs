using System.Buffers;
using System.Text.RegularExpressions;
using MessagePack;
using Replicator.Protocol.MessagePack;
using Replicator.Protocol.Tests.Vectors;

namespace Replicator.Protocol.Tests.MessagePack;

/// <summary>
/// The write-side rule (PROTOCOL.md 3.1, smallest encoding): the library's <c>Write(...)</c>
/// overloads produce it, <see cref="MessagePackSize"/> predicts it, and the control writer uses
/// nothing else.
/// </summary>
public partial class SmallestEncodingTests
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
    public void WriteUnsigned_Value_SmallestEncodingOfPredictedSize(ulong value, string hex)
    {
        Assert.Equal(hex, Write((ref MessagePackWriter w) => w.Write(value)));
        if (value <= uint.MaxValue) Assert.Equal(hex, Write((ref MessagePackWriter w) => w.Write((uint)value)));
        if (value <= ushort.MaxValue) Assert.Equal(hex, Write((ref MessagePackWriter w) => w.Write((ushort)value)));
        Assert.Equal(hex.Length / 2, MessagePackSize.UnsignedInteger(value));
    }

    [Theory]
    [InlineData(0, "a0")]
    [InlineData(31, "bf")]
    [InlineData(32, "d920")]
    [InlineData(255, "d9ff")]
    [InlineData(256, "da0100")]
    [InlineData(65536, "db00010000")]
    public void WriteString_Length_SmallestHeaderOfPredictedSize(int length, string headerHex)
    {
        string hex = Write((ref MessagePackWriter w) => w.Write(new string('x', length)));
        Assert.StartsWith(headerHex, hex);
        Assert.Equal(MessagePackSize.String(length), hex.Length / 2);
    }

    [Theory]
    [InlineData(0, "c400")]
    [InlineData(255, "c4ff")]
    [InlineData(256, "c50100")]
    [InlineData(65536, "c600010000")]
    public void WriteBinary_Length_SmallestHeaderOfPredictedSize(int length, string headerHex)
    {
        string hex = Write((ref MessagePackWriter w) => w.Write(new byte[length]));
        Assert.StartsWith(headerHex, hex);
        Assert.Equal(MessagePackSize.Binary(length), hex.Length / 2);
    }

    [Theory]
    [InlineData(0, "90", "80")]
    [InlineData(15, "9f", "8f")]
    [InlineData(16, "dc0010", "de0010")]
    [InlineData(65535, "dcffff", "deffff")]
    [InlineData(65536, "dd00010000", "df00010000")]
    public void WriteCollectionHeaders_Count_SmallestHeaderOfPredictedSize(int count, string arrayHex, string mapHex)
    {
        Assert.Equal(arrayHex, Write((ref MessagePackWriter w) => w.WriteArrayHeader(count)));
        Assert.Equal(mapHex, Write((ref MessagePackWriter w) => w.WriteMapHeader(count)));
        Assert.Equal(arrayHex.Length / 2, MessagePackSize.ArrayHeader(count));
        Assert.Equal(mapHex.Length / 2, MessagePackSize.MapHeader(count));
    }

    [Fact]
    public void ControlWriter_Source_UsesNoFixedWidthWrite()
    {
        string path = Path.Combine(RepositoryFiles.RepositoryRoot, "Protocol", "Control", "ControlBodyWriter.cs");
        string code = File.ReadAllText(path);
        Assert.Contains("w.Write(", code);
        Assert.Empty(FixedWidth().Matches(code));
    }

    // WriteUInt8/16/32/64, WriteInt8/16/32/64: always the full-width format, never the smallest.
    [GeneratedRegex(@"\.Write(U?Int(8|16|32|64))\(")]
    private static partial Regex FixedWidth();

    private delegate void WriteAction(ref MessagePackWriter writer);

    private static string Write(WriteAction action)
    {
        var output = new ArrayBufferWriter<byte>();
        var writer = new MessagePackWriter(output);
        action(ref writer);
        writer.Flush();
        return Convert.ToHexStringLower(output.WrittenSpan);
    }
}
