using System.Net;
using MessagePack;
using Replicator.Protocol.Control;

namespace Replicator.Protocol.Tests.Control;

/// <summary>The return-routability cookie, key 5 of Register and PeerList (PROTOCOL.md sections 4 and 5).</summary>
public class ControlCookieTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(15)]
    [InlineData(17)]
    [InlineData(32)]
    public void TryDecode_CookieNot16Bytes_ReturnsInvalidValue(int length)
    {
        foreach (ControlMessageType type in new[] { ControlMessageType.Register, ControlMessageType.PeerList })
        {
            byte[] datagram = WithCookieBytes(type, new byte[length]);
            Assert.False(ControlCodec.TryDecode(datagram, out _, out ControlDecodeError error, out string? detail));
            Assert.Equal(ControlDecodeError.InvalidValue, error);
            Assert.Contains($"cookie of {length} bytes", detail);
        }
    }

    [Fact]
    public void TryDecode_CookieNotBin_ReturnsMalformedBody()
    {
        byte[] datagram = ControlDecodeBadInputTests.Datagram(ControlMessageType.PeerList, (ref MessagePackWriter w) =>
        {
            w.WriteMapHeader(3);
            w.Write(0); w.Write(5);
            w.Write(1); w.WriteMapHeader(0);
            w.Write(5); w.Write("0123456789abcdef");
        });
        Assert.False(ControlCodec.TryDecode(datagram, out _, out ControlDecodeError error, out _));
        Assert.Equal(ControlDecodeError.MalformedBody, error);
    }

    [Fact]
    public void TryDecode_WithoutCookie_CookieIsNull()
    {
        Assert.True(ControlCodec.TryDecode(ControlCodec.Encode(Samples.PeerListMixed), out ControlMessage? m, out _));
        Assert.Null(Assert.IsType<PeerListMessage>(m).Cookie);
    }

    [Fact]
    public void EncodePeerList_Split_EveryPartCarriesTheCookieWithinMax()
    {
        var message = new PeerListMessage(90, Samples.ManyVnis(300, 5), Generation: 3) { Cookie = Samples.ExampleCookie };
        IReadOnlyList<byte[]> datagrams = ControlCodec.EncodePeerList(message, 200);
        Assert.True(datagrams.Count > 10);
        foreach (byte[] d in datagrams)
        {
            Assert.InRange(d.Length, 1, 200);
            Assert.True(ControlCodec.TryDecode(d, out ControlMessage? part, out _, out string? detail), detail);
            Assert.Equal(Samples.ExampleCookie, Assert.IsType<PeerListMessage>(part).Cookie);
        }
    }

    [Fact]
    public void EncodeRegister_Split_EveryPartCarriesTheCookieWithinMax()
    {
        var message = new RegisterMessage("vtep-a", 90, false, WireResponseWanted.AllVnis, Samples.ManyVnis(300, 3)) { Cookie = Samples.ExampleCookie };
        IReadOnlyList<byte[]> datagrams = ControlCodec.EncodeRegister(message, 150, reserveAuthenticationTrailer: false);
        Assert.True(datagrams.Count > 10);
        foreach (byte[] d in datagrams)
        {
            Assert.InRange(d.Length, 1, 150);
            Assert.True(ControlCodec.TryDecode(d, out ControlMessage? part, out _, out string? detail), detail);
            Assert.Equal(Samples.ExampleCookie, Assert.IsType<RegisterMessage>(part).Cookie);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void TryWriteCookie_EncodedWithCookie_ReplacesItInPlace(bool trailer)
    {
        UInt128 other = UInt128.Parse("00112233445566778899aabbccddeeff", System.Globalization.NumberStyles.HexNumber);
        foreach (ControlMessage message in new ControlMessage[] { Samples.PeerListCookieOnly, Samples.RegisterWithCookie, Samples.PeerListMixed with { Cookie = 1 } })
        {
            byte[] datagram = ControlCodec.Encode(message, trailer);
            Assert.True(ControlCodec.TryWriteCookie(datagram, other));
            Assert.True(ControlCodec.TryDecode(datagram, out ControlMessage? decoded, out _, out string? detail), detail);
            UInt128? cookie = decoded switch { PeerListMessage p => p.Cookie, RegisterMessage r => r.Cookie, _ => null };
            Assert.Equal(other, cookie);
        }
    }

    [Fact]
    public void TryWriteCookie_WithoutCookie_ReturnsFalseAndChangesNothing()
    {
        // A Register whose last address ends in 05 looks like "key 5, bin8(16)" at the end: the map size tells them apart.
        var register = new RegisterMessage("n", 1, false, WireResponseWanted.None,
            [new VniAddresses(5, [IPAddress.Parse("2001:db8::5"), IPAddress.Parse("2001:db8::6")])]);
        foreach (byte[] datagram in new[] { ControlCodec.Encode(register), ControlCodec.Encode(Samples.PeerListMixed), ControlCodec.Encode(Samples.SyncTwoEntries), new byte[3] })
        {
            byte[] before = [.. datagram];
            Assert.False(ControlCodec.TryWriteCookie(datagram, UInt128.MaxValue));
            Assert.Equal(before, datagram);
        }
    }

    private static byte[] WithCookieBytes(ControlMessageType type, byte[] cookie) => ControlDecodeBadInputTests.Datagram(type, (ref MessagePackWriter w) =>
    {
        if (type == ControlMessageType.Register)
        {
            w.WriteMapHeader(4);
            w.Write(0); w.Write("n");
            w.Write(1); w.Write(30);
            w.Write(4); w.WriteMapHeader(0);
        }
        else
        {
            w.WriteMapHeader(3);
            w.Write(0); w.Write(5);
            w.Write(1); w.WriteMapHeader(0);
        }
        w.Write(5); w.Write(cookie);
    });
}
