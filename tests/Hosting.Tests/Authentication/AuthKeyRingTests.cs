using Microsoft.Extensions.Time.Testing;
using Replicator.Hosting.Authentication;
using Replicator.Protocol.Control;

namespace Replicator.Hosting.Tests.Authentication;

public class AuthKeyRingTests
{
    private static readonly byte[] KeyOne = Enumerable.Range(0, 32).Select(i => (byte)(0xA0 + i)).ToArray();
    private static readonly byte[] KeyTwo = Enumerable.Range(0, 16).Select(i => (byte)(0x50 + i)).ToArray();

    private static AuthKeyRing Ring(uint primary) => new([new(1, KeyOne), new(2, KeyTwo)], primary);

    [Fact]
    public void Sign_UsesPrimaryKeyIdAndVerifiesUnderIt()
    {
        var ring = Ring(primary: 2);
        byte[] datagram = ControlCodec.Encode(Samples.RegisterIpv4, reserveAuthenticationTrailer: true);
        AuthenticationTrailer trailer = ring.Sign(datagram, new FakeTimeProvider());
        Assert.Equal(2u, trailer.KeyId);
        Assert.True(ControlAuthenticator.Verify(datagram, KeyTwo));
        Assert.Equal(ControlVerification.Ok, ring.VerifyMac(datagram, 2));
        Assert.Equal(ControlVerification.BadSignature, ring.VerifyMac(datagram, 1));
        Assert.Equal(ControlVerification.UnknownKey, ring.VerifyMac(datagram, 3));
    }

    [Fact]
    public void VerifyMac_RotationOldAndNewRing_AcceptEachOthersMessages()
    {
        // Step 2 of a rotation: some nodes already sign with key 2, others still with key 1.
        var oldPrimary = Ring(primary: 1);
        var newPrimary = Ring(primary: 2);
        byte[] fromOld = ControlCodec.Encode(Samples.RegisterIpv4, reserveAuthenticationTrailer: true);
        byte[] fromNew = (byte[])fromOld.Clone();
        oldPrimary.Sign(fromOld, TimeProvider.System);
        newPrimary.Sign(fromNew, TimeProvider.System);
        Assert.Equal(ControlVerification.Ok, newPrimary.VerifyMac(fromOld, 1));
        Assert.Equal(ControlVerification.Ok, oldPrimary.VerifyMac(fromNew, 2));
    }

    [Fact]
    public void Constructor_CopiesKeys()
    {
        byte[] key = (byte[])KeyOne.Clone();
        var ring = new AuthKeyRing([new(1, key)], 1);
        Array.Clear(key);
        byte[] datagram = ControlCodec.Encode(Samples.RegisterIpv4, reserveAuthenticationTrailer: true);
        ring.Sign(datagram, TimeProvider.System);
        Assert.True(ControlAuthenticator.Verify(datagram, KeyOne));
    }

    [Fact]
    public void ToString_NamesIdsButNoKeyBytes()
    {
        string text = Ring(primary: 2).ToString();
        Assert.Contains("ids 1,2", text);
        Assert.Contains("primary 2", text);
        Assert.DoesNotContain(Convert.ToHexString(KeyOne)[..8], text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(Convert.ToBase64String(KeyOne)[..8], text);
    }

    [Fact]
    public void Constructor_BadInput_ThrowsWithoutKeyBytes()
    {
        var shortKey = Assert.Throws<ArgumentException>(() => new AuthKeyRing([new(1, KeyOne[..15])], 1));
        Assert.DoesNotContain(Convert.ToHexString(KeyOne[..4]), shortKey.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Throws<ArgumentException>(() => new AuthKeyRing([new(1, new byte[65])], 1));
        Assert.Throws<ArgumentException>(() => new AuthKeyRing([], 1));
        Assert.Throws<ArgumentException>(() => new AuthKeyRing([new(1, KeyOne)], 2));
        Assert.Throws<ArgumentException>(() => new AuthKeyRing([new(1, KeyOne), new(1, KeyTwo)], 1));
    }

    [Fact]
    public void Sign_ExplicitTrailerWithUnknownKeyId_Throws()
    {
        byte[] datagram = ControlCodec.Encode(Samples.RegisterIpv4, reserveAuthenticationTrailer: true);
        Assert.Throws<ArgumentException>(() => Ring(1).Sign(datagram, new AuthenticationTrailer(9, 0, 0)));
    }

    [Fact]
    public void SignAll_SplitMessage_EveryPartVerifies()
    {
        var ring = Ring(primary: 1);
        var message = new RegisterMessage("vtep-a", 90, false, WireResponseWanted.None,
            [.. Enumerable.Range(1, 300).Select(v => new VniAddresses((uint)v, [Samples.A("192.0.2.1")]))]);
        IReadOnlyList<byte[]> parts = ControlCodec.EncodeRegister(message, reserveAuthenticationTrailer: true);
        Assert.True(parts.Count > 1);
        ring.SignAll(parts, TimeProvider.System);
        Assert.All(parts, p => Assert.Equal(ControlVerification.Ok, ring.VerifyMac(p, 1)));
        Assert.All(parts, p => Assert.True(p.Length <= ControlLimits.DefaultMaxDatagramBytes));
    }
}
