using Microsoft.Extensions.Time.Testing;
using Replicator.Protocol.Control;

namespace Replicator.Protocol.Tests.Control;

public class ControlAuthenticatorTests
{
    private static readonly byte[] Key = "0123456789abcdef0123456789abcdef"u8.ToArray();

    [Fact]
    public void Verify_AnySingleBitFlipped_Fails()
    {
        byte[] datagram = ControlCodec.Encode(Samples.RegisterIpv4, reserveAuthenticationTrailer: true);
        ControlAuthenticator.Sign(datagram, Key, new AuthenticationTrailer(3, 1_767_225_600_000, 42));
        Assert.True(ControlAuthenticator.Verify(datagram, Key));
        for (int i = 0; i < datagram.Length; i++)
        {
            for (int bit = 0; bit < 8; bit++)
            {
                byte[] tampered = (byte[])datagram.Clone();
                tampered[i] ^= (byte)(1 << bit);
                Assert.False(ControlAuthenticator.Verify(tampered, Key), $"byte {i} bit {bit}");
            }
        }
    }

    [Fact]
    public void Sign_WithTimeProvider_StampsClockAndRandomNonce()
    {
        var time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(1_767_225_600_123));
        byte[] a = ControlCodec.Encode(Samples.PeerListMixed, reserveAuthenticationTrailer: true);
        byte[] b = (byte[])a.Clone();
        AuthenticationTrailer ta = ControlAuthenticator.Sign(a, Key, 9, time);
        AuthenticationTrailer tb = ControlAuthenticator.Sign(b, Key, 9, time);
        Assert.Equal(1_767_225_600_123, ta.TimestampUnixMilliseconds);
        Assert.Equal(9u, ta.KeyId);
        Assert.NotEqual(ta.Nonce, tb.Nonce);
        Assert.True(ControlAuthenticator.TryReadTrailer(a, out AuthenticationTrailer read));
        Assert.Equal(ta, read);
        Assert.True(ControlAuthenticator.Verify(a, Key));
    }

    [Fact]
    public void Sign_DatagramWithoutReservedTrailer_Throws()
    {
        byte[] datagram = ControlCodec.Encode(Samples.RegisterIpv4);
        Assert.Throws<ArgumentException>(() => ControlAuthenticator.Sign(datagram, Key, default(AuthenticationTrailer)));
        Assert.False(ControlAuthenticator.Verify(datagram, Key));
        Assert.False(ControlAuthenticator.TryReadTrailer(datagram, out _));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(4)]
    [InlineData(64)]
    public void Verify_ShortOrEmptyInput_ReturnsFalse(int length)
    {
        byte[] bytes = new byte[length];
        if (length > 4) bytes[4] = 1;
        Assert.False(ControlAuthenticator.Verify(bytes, Key));
        Assert.False(ControlAuthenticator.Verify(ControlCodec.Encode(Samples.RegisterIpv4, true), []));
    }
}
