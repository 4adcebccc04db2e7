using Microsoft.Extensions.Time.Testing;
using Replicator.Hosting.Authentication;
using Replicator.Protocol.Control;

namespace Replicator.Hosting.Tests.Authentication;

public class ControlMessageVerifierTests
{
    private static readonly byte[] KeyOne = Enumerable.Range(0, 32).Select(i => (byte)(0x10 + i)).ToArray();
    private static readonly byte[] KeyTwo = Enumerable.Range(0, 32).Select(i => (byte)(0x70 + i)).ToArray();

    private readonly FakeTimeProvider _time = new();
    private readonly ControlMessageVerifier _verifier;

    public ControlMessageVerifierTests()
    {
        _verifier = new ControlMessageVerifier(new AuthKeyRing([new(1, KeyOne), new(2, KeyTwo)], 1), new ReplayGuard(_time));
    }

    private byte[] Signed(byte[] key, uint keyId, long? timestamp = null, UInt128? nonce = null)
    {
        byte[] datagram = ControlCodec.Encode(Samples.RegisterIpv4, reserveAuthenticationTrailer: true);
        ControlAuthenticator.Sign(datagram, key, new AuthenticationTrailer(keyId, timestamp ?? _time.GetUtcNow().ToUnixTimeMilliseconds(), nonce ?? 42));
        return datagram;
    }

    [Fact]
    public void Verify_ValidSignature_OkThenReplayed()
    {
        byte[] datagram = Signed(KeyOne, 1);
        Assert.Equal(ControlVerification.Ok, _verifier.Verify(datagram, out AuthenticationTrailer trailer));
        Assert.Equal(1u, trailer.KeyId);
        Assert.Equal(ControlVerification.Replayed, _verifier.Verify(datagram));
    }

    [Fact]
    public void Verify_NonPrimaryListedKey_Ok()
    {
        Assert.Equal(ControlVerification.Ok, _verifier.Verify(Signed(KeyTwo, 2)));
    }

    [Fact]
    public void Verify_Unsigned_Unsigned()
    {
        Assert.Equal(ControlVerification.Unsigned, _verifier.Verify(ControlCodec.Encode(Samples.RegisterIpv4)));
        Assert.Equal(ControlVerification.Unsigned, _verifier.Verify([]));
        byte[] shortFlagged = new byte[40];
        shortFlagged[4] = 1;
        Assert.Equal(ControlVerification.Unsigned, _verifier.Verify(shortFlagged));
    }

    [Fact]
    public void Verify_UnknownKeyId_UnknownKey()
    {
        Assert.Equal(ControlVerification.UnknownKey, _verifier.Verify(Signed(KeyOne, 3)));
    }

    [Fact]
    public void Verify_WrongKeyOrAlteredBody_BadSignature()
    {
        Assert.Equal(ControlVerification.BadSignature, _verifier.Verify(Signed(KeyTwo, 1)));
        byte[] altered = Signed(KeyOne, 1);
        altered[10] ^= 0x01;
        Assert.Equal(ControlVerification.BadSignature, _verifier.Verify(altered));
    }

    [Fact]
    public void Verify_OldTimestamp_Stale()
    {
        long old = _time.GetUtcNow().AddSeconds(-31).ToUnixTimeMilliseconds();
        Assert.Equal(ControlVerification.Stale, _verifier.Verify(Signed(KeyOne, 1, old)));
    }

    [Fact]
    public void Verify_BadSignatureNeverReachesReplayCache()
    {
        // A forged datagram reusing a future genuine nonce must not make the genuine one "replayed".
        Assert.Equal(ControlVerification.BadSignature, _verifier.Verify(Signed(KeyTwo, 1, nonce: 77)));
        Assert.Equal(0, _verifier.ReplayGuard.Count);
        Assert.Equal(ControlVerification.Ok, _verifier.Verify(Signed(KeyOne, 1, nonce: 77)));
    }

    [Fact]
    public void Keys_SwappedAtRunTime_NewRingApplies()
    {
        _verifier.Keys = new AuthKeyRing([new(2, KeyTwo)], 2);
        Assert.Equal(ControlVerification.UnknownKey, _verifier.Verify(Signed(KeyOne, 1)));
        Assert.Equal(ControlVerification.Ok, _verifier.Verify(Signed(KeyTwo, 2)));
    }

    [Fact]
    public void Verify_SteadyState_AllocatesNothing()
    {
        var datagrams = Enumerable.Range(0, 1000).Select(i => Signed(KeyOne, 1, nonce: (UInt128)i)).ToArray();
        byte[] bad = Signed(KeyTwo, 1);
        _verifier.Verify(datagrams[0]);
        _verifier.Verify(bad);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 1; i < datagrams.Length; i++) _verifier.Verify(datagrams[i]);
        for (int i = 0; i < 1000; i++) _verifier.Verify(bad);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void Tags_AreSnakeCase()
    {
        Assert.Equal(
            ["ok", "unsigned", "unknown_key", "bad_signature", "stale", "replayed"],
            Enum.GetValues<ControlVerification>().Select(v => v.ToTag()));
    }
}
