using Replicator.Protocol.Control;

namespace Replicator.Protocol.Tests.Control;

public class ControlCodecTests
{
    public static TheoryData<ControlMessage> Messages => new()
    {
        Samples.RegisterIpv4,
        Samples.RegisterIpv6,
        Samples.PeerListMixed,
        Samples.SyncTwoEntries,
        Samples.RegisterWithCookie,
        Samples.PeerListCookieOnly,
        Samples.PeerListMixed with { Cookie = UInt128.MaxValue },
        new RegisterMessage("n", 1, false, WireResponseWanted.AllVnis, []),
        new PeerListMessage(0, []),
        new SyncMessage([], false),
    };

    [Theory]
    [MemberData(nameof(Messages))]
    public void Encode_ThenTryDecode_RoundTrips(ControlMessage message)
    {
        byte[] datagram = ControlCodec.Encode(message);
        Assert.True(ControlCodec.TryDecode(datagram, out ControlMessage? decoded, out ControlDecodeError error, out string? detail), detail);
        Assert.Equal(ControlDecodeError.None, error);
        Assert.Equal(message, decoded);
    }

    [Theory]
    [MemberData(nameof(Messages))]
    public void Encode_WithSignedTrailer_RoundTripsAndVerifies(ControlMessage message)
    {
        byte[] key = "0123456789abcdef0123456789abcdef"u8.ToArray();
        byte[] datagram = ControlCodec.Encode(message, reserveAuthenticationTrailer: true);
        var trailer = new AuthenticationTrailer(7, 1_700_000_000_123, UInt128.MaxValue - 5);
        ControlAuthenticator.Sign(datagram, key, trailer);

        Assert.True(ControlCodec.TryDecode(datagram, out ControlMessage? decoded, out _, out string? detail), detail);
        Assert.Equal(message with { Authentication = trailer }, decoded);
        Assert.True(ControlAuthenticator.Verify(datagram, key));
        Assert.False(ControlAuthenticator.Verify(datagram, "another key"u8));
    }

    [Fact]
    public void Encode_Register_StartsWithHeader()
    {
        byte[] datagram = ControlCodec.Encode(Samples.RegisterIpv4);
        Assert.Equal(new byte[] { 0x56, 0x52, 0x01, 0x01, 0x00 }, datagram[..5]);
    }

    [Fact]
    public void Encode_VniAbove24Bits_ThrowsTyped()
    {
        var message = new PeerListMessage(1, [new VniAddresses(0x100_0000, [])]);
        var e = Assert.Throws<ControlEncodeException>(() => ControlCodec.Encode(message));
        Assert.Equal(ControlEncodeError.VniOutOfRange, e.Error);
    }
}
