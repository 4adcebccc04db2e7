using Replicator.Protocol.Control;

namespace Replicator.Protocol.Tests.Control;

/// <summary>Register key 7, the incomplete list a VTEP holds parts of (PROTOCOL.md 5.2): round trips, splitting, refusals.</summary>
public class ControlIncompleteListTests
{
    [Fact]
    public void Encode_RegisterWithIncompleteList_RoundTrips()
    {
        RegisterMessage message = Samples.RegisterWithIncompleteList;
        Assert.True(ControlCodec.TryDecode(ControlCodec.Encode(message), out ControlMessage? decoded, out _, out string? detail), detail);
        Assert.Equal(message, decoded);
        var incomplete = Assert.IsType<RegisterMessage>(decoded).Incomplete!;
        Assert.Equal(1, incomplete.Missing);
        Assert.False(incomplete.IsHeld(6));
        Assert.True(incomplete.IsHeld(9));
        Assert.False(incomplete.IsHeld(10));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(8)]
    [InlineData(9)]
    [InlineData(66)]
    [InlineData(65535)]
    public void Of_AnyPartCount_BitmapOfTheRightSizeHoldingWhatWasSaid(int count)
    {
        var list = IncompleteList.Of(77, (ushort)count, i => i % 3 != 1);
        Assert.Null(list.Problem());
        Assert.Equal((count + 7) / 8, list.Held.Length);
        for (int i = 0; i < count; i++) Assert.Equal(i % 3 != 1, list.IsHeld(i));
        Assert.Equal(Enumerable.Range(0, count).Count(i => i % 3 == 1), list.Missing);
    }

    [Fact]
    public void EncodeRegister_SplitWithIncompleteList_EveryPartRepeatsIt()
    {
        var message = new RegisterMessage("vtep-a", 90, false, WireResponseWanted.RegisteredVnis, Samples.ManyVnis(200, 1))
        {
            Incomplete = IncompleteList.Of(5, 66, i => i != 40),
            Cookie = Samples.ExampleCookie,
        };
        IReadOnlyList<byte[]> datagrams = ControlCodec.EncodeRegister(message);
        Assert.True(datagrams.Count > 1);
        foreach (byte[] datagram in datagrams)
        {
            Assert.InRange(datagram.Length, 1, ControlLimits.DefaultMaxDatagramBytes);
            Assert.True(ControlCodec.TryDecode(datagram, out ControlMessage? decoded, out _));
            Assert.Equal(message.Incomplete, Assert.IsType<RegisterMessage>(decoded).Incomplete);
            Assert.True(ControlCodec.TryWriteCookie(datagram, UInt128.One));
        }
    }

    [Theory]
    [InlineData(0, 1)] // no part
    [InlineData(10, 1)] // a bitmap too short for 10 parts
    [InlineData(10, 3)] // and too long
    public void TryEncode_BadIncompleteList_InvalidValue(int count, int bitmapBytes)
    {
        var message = Samples.RegisterIpv4 with { Incomplete = new IncompleteList(3, (ushort)count, new byte[bitmapBytes]) };
        Assert.False(ControlCodec.TryEncode(message, false, out _, out ControlEncodeError error));
        Assert.Equal(ControlEncodeError.InvalidValue, error);
    }

    [Theory]
    [InlineData("07 93 0c 0a c4 01 ff", ControlDecodeError.InvalidValue)] // 10 parts need 2 bytes
    [InlineData("07 93 0c 0a c4 03 ff c0 00", ControlDecodeError.InvalidValue)] // and not 3
    [InlineData("07 93 0c 0a c4 02 ff e0", ControlDecodeError.InvalidValue)] // a bit set for part 10 of 10
    [InlineData("07 93 0c 00 c4 00", ControlDecodeError.InvalidValue)] // part count 0
    [InlineData("07 93 0c cd 00 01 c4 00", ControlDecodeError.InvalidValue)] // part count 1 with no bitmap byte
    [InlineData("07 93 0c ce 00 01 00 00 c4 01 80", ControlDecodeError.MalformedBody)] // part count above 65535
    [InlineData("07 92 0c 0a", ControlDecodeError.MalformedBody)] // 2 fields
    [InlineData("07 93 0c 0a a2 ff c0", ControlDecodeError.MalformedBody)] // a str, not a bin
    [InlineData("07 c0", ControlDecodeError.MalformedBody)] // nil
    [InlineData("07 94 0c 0a c4 02 fd c0 00", ControlDecodeError.InvalidValue)] // instance 0
    [InlineData("07 94 0c 0a c4 02 fd c0 a1 78", ControlDecodeError.MalformedBody)] // instance a str
    public void TryDecode_BadIncompleteList_TypedError(string key7, ControlDecodeError expected)
    {
        // Register vtep-a, hold 90, VNI 100 at 192.0.2.1, then key 7 as given.
        byte[] datagram = [0x56, 0x52, 0x01, 0x01, 0x00, .. Convert.FromHexString(("84 00 a6 76 74 65 70 2d 61 01 5a 04 81 64 91 c4 04 c0 00 02 01 " + key7).Replace(" ", "", StringComparison.Ordinal))];
        Assert.False(ControlCodec.TryDecode(datagram, out _, out ControlDecodeError error, out string? detail));
        Assert.True(expected == error, $"{error}: {detail}");
    }

    [Fact]
    public void TryDecode_IncompleteListWithInstanceAndAFifthField_ReadsTheInstanceSkipsTheRest()
    {
        byte[] datagram = [0x56, 0x52, 0x01, 0x01, 0x00, .. Convert.FromHexString("8400a6767465702d61015a04816491c404c000020107950c0ac402fdc0cecafebabea6667574757265")];
        Assert.True(ControlCodec.TryDecode(datagram, out ControlMessage? decoded, out _, out string? detail), detail);
        Assert.Equal(new IncompleteList(12, 10, [0xfd, 0xc0]) { Instance = 0xCAFEBABE }, Assert.IsType<RegisterMessage>(decoded).Incomplete);
    }

    [Fact]
    public void TryDecode_IncompleteListWithoutInstance_NoneNamed()
    {
        byte[] datagram = [0x56, 0x52, 0x01, 0x01, 0x00, .. Convert.FromHexString("8400a6767465702d61015a04816491c404c000020107930c0ac402fdc0")];
        Assert.True(ControlCodec.TryDecode(datagram, out ControlMessage? decoded, out _, out string? detail), detail);
        Assert.Null(Assert.IsType<RegisterMessage>(decoded).Incomplete!.Instance);
    }
}
