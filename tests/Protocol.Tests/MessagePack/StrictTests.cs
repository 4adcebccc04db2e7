using MessagePack;
using Replicator.Protocol.MessagePack;

namespace Replicator.Protocol.Tests.MessagePack;

/// <summary>One test (or theory) per rule <see cref="Strict"/> adds to MessagePack-CSharp's reader.</summary>
public class StrictTests
{
    [Theory]
    [InlineData("c403010203")]
    [InlineData("c50003010203")]
    [InlineData("c600000003010203")]
    public void StrictBinary_AnyBinEncoding_ReturnsPayload(string hex)
    {
        var r = Reader(hex);
        Assert.Equal("010203", Convert.ToHexStringLower(r.StrictBinary()));
        Assert.True(r.End);
    }

    [Theory]
    [InlineData("a3010203", "String")]
    [InlineData("d903010203", "String")]
    [InlineData("c0", "Nil")]
    [InlineData("93010203", "Array")]
    public void StrictBinary_StrNilOrOther_Refused(string hex, string found)
    {
        // The library's ReadBytes would return the str's bytes, or null for nil.
        var e = Assert.Throws<MessagePackSerializationException>(() => { var r = Reader(hex); r.StrictBinary(); });
        Assert.Contains($"bin expected, found {found}", e.Message);
    }

    [Theory]
    [InlineData("a3616263")]
    [InlineData("d903616263")]
    [InlineData("da0003616263")]
    [InlineData("db00000003616263")]
    public void StrictString_AnyStrEncoding_ReturnsUtf8(string hex)
    {
        var r = Reader(hex);
        Assert.Equal("abc"u8.ToArray(), r.StrictString().ToArray());
        Assert.True(r.End);
    }

    [Theory]
    [InlineData("a2c328")]
    [InlineData("a1ff")]
    [InlineData("a3eda080")] // an encoded surrogate
    public void StrictString_InvalidUtf8_Refused(string hex)
    {
        var e = Assert.Throws<MessagePackSerializationException>(() => { var r = Reader(hex); r.StrictString(); });
        Assert.Contains("not valid UTF-8", e.Message);
        // What the library alone does: U+FFFD instead of a refusal.
        var library = Reader(hex);
        Assert.Contains('\uFFFD', library.ReadString()!);
    }

    [Theory]
    [InlineData("c0")]
    [InlineData("c403616263")]
    public void StrictString_NilOrBin_Refused(string hex)
    {
        Assert.Throws<MessagePackSerializationException>(() => { var r = Reader(hex); r.StrictString(); });
    }

    [Theory]
    [InlineData("dd80000000", "array")]
    [InlineData("ddffffffff", "array")]
    [InlineData("df80000000", "map")]
    [InlineData("dfffffffff", "map")]
    [InlineData("db80000000", "str")]
    [InlineData("c680000000", "bin")]
    [InlineData("c9800000000100", "skip")]
    [InlineData("91dd80000000", "skip")]
    public void Strict_LengthOrCountOf2Pow31OrMore_Refused(string hex, string read)
    {
        byte[] bytes = Convert.FromHexString(hex + new string('0', 40));
        var e = Assert.Throws<MessagePackSerializationException>(() =>
        {
            var r = new MessagePackReader(bytes);
            switch (read)
            {
                case "array": r.StrictArrayHeader(); break;
                case "map": r.StrictMapHeader(); break;
                case "str": r.StrictString(); break;
                case "bin": r.StrictBinary(); break;
                default: r.StrictSkip(); break;
            }
        });
        Assert.Contains("2^31 or more", e.Message);
    }

    [Fact]
    public void LibrarySkip_Array32CountOf2Pow31_MisreadsAsEmpty()
    {
        // Why the rule above exists: the library reads the count as a negative int and skips nothing of it.
        var r = new MessagePackReader(Convert.FromHexString("dd80000000c0c0"));
        r.Skip();
        Assert.Equal(5, r.Consumed);
    }

    [Theory]
    [InlineData("dc0009000000000000", "array")]
    [InlineData("de0005000000000000", "map")]
    [InlineData("8300000000", "map")]
    [InlineData("c40901", "bin")]
    [InlineData("a901", "str")]
    public void Strict_DeclaredMoreThanTheBytesLeft_Refused(string hex, string read)
    {
        // A map needs two bytes per pair: "8300000000" has 4 bytes left for 3 pairs (the library checks one per pair).
        Assert.Throws<MessagePackSerializationException>(() =>
        {
            var r = Reader(hex);
            switch (read)
            {
                case "array": r.StrictArrayHeader(); break;
                case "map": r.StrictMapHeader(); break;
                case "bin": r.StrictBinary(); break;
                default: r.StrictString(); break;
            }
        });
    }

    [Theory]
    [InlineData("93c0c2c3")]
    [InlineData("82a1610181c0c0a162c403010203")]
    [InlineData("d40100d5020000d6040000000000d70800000000000000000000d8100000000000000000000000000000000000000000")]
    [InlineData("c70101ffc8000101ffc90000000101ff")]
    [InlineData("ca3fc00000cb3ff8000000000000")]
    [InlineData("dc0001dd00000001de0001a0df00000001c0c0")]
    [InlineData("cfffffffffffffffffd38000000000000000e0ff7f")]
    public void StrictSkip_AnyValues_ConsumesExactlyThem(string hex)
    {
        var r = Reader(hex + "2a");
        while (r.Sequence.Length - r.Consumed > 1) r.StrictSkip();
        Assert.Equal(42, r.ReadInt32());
        Assert.True(r.End);
    }

    [Theory]
    [InlineData(64, true)]
    [InlineData(65, false)]
    public void StrictSkip_Nesting_RefusedBeyond64(int depth, bool accepted)
    {
        byte[] bytes = new byte[depth + 1];
        Array.Fill(bytes, (byte)0x91);
        bytes[^1] = 0xc0;
        var r = new MessagePackReader(bytes);
        if (accepted)
        {
            r.StrictSkip();
            Assert.True(r.End);
            return;
        }
        var e = Assert.Throws<MessagePackSerializationException>(() => { var rr = new MessagePackReader(bytes); rr.StrictSkip(); });
        Assert.Contains("nesting deeper than 64", e.Message);
    }

    [Theory]
    [InlineData("92c0")]
    [InlineData("c1")]
    [InlineData("")]
    [InlineData("a5616263")]
    public void StrictSkip_TruncatedOrNeverUsed_Throws(string hex)
    {
        Exception? e = Record.Exception(() => { var r = Reader(hex); r.StrictSkip(); });
        Assert.True(e is MessagePackSerializationException or EndOfStreamException, $"{e}");
    }

    [Fact]
    public void StrictArrayHeader_HugeDeclaredCount_FailsWithoutAllocatingByTheClaim()
    {
        byte[] bytes = Convert.FromHexString("ddffffffff0000000000");
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
        {
            try { var r = new MessagePackReader(bytes); r.StrictArrayHeader(); }
            catch (MessagePackSerializationException) { }
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.InRange(allocated, 0, 100 * 4096);
    }

    private static MessagePackReader Reader(string hex) => new(Convert.FromHexString(hex));
}
