using Replicator.ServiceNode.Hardening;
using Replicator.ServiceNode.Hardening.RateLimiting;

namespace Replicator.ServiceNode.Tests.Hardening;

public class ReturnCookiesTests
{
    private static readonly UInt128 Address = SourceKey.From(System.Net.IPAddress.Parse("192.0.2.7"));
    private static readonly UInt128 Other = SourceKey.From(System.Net.IPAddress.Parse("192.0.2.8"));
    private const long Start = 1_767_225_600; // 2026-01-01T00:00:00Z, an epoch boundary

    private static ReturnCookies Cookies() => new(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());

    [Fact]
    public void Verify_SameEpoch_ValidUntilEndOfNextEpoch()
    {
        var cookies = Cookies();
        UInt128 cookie = cookies.Mint(Address, Start + 10);
        Assert.True(cookies.Verify(cookie, Address, Start + 299, out long until));
        Assert.Equal(Start + 600, until);
    }

    [Fact]
    public void Verify_PreviousEpoch_ValidThenExpired()
    {
        var cookies = Cookies();
        UInt128 cookie = cookies.Mint(Address, Start + 299);
        Assert.True(cookies.Verify(cookie, Address, Start + 300, out _));
        Assert.True(cookies.Verify(cookie, Address, Start + 599, out long until));
        Assert.Equal(Start + 600, until);
        Assert.False(cookies.Verify(cookie, Address, Start + 600, out _));
    }

    [Fact]
    public void Verify_OtherAddressOrSecretOrFlippedBit_Invalid()
    {
        var cookies = Cookies();
        UInt128 cookie = cookies.Mint(Address, Start);
        Assert.False(cookies.Verify(cookie, Other, Start, out _));
        Assert.False(new ReturnCookies().Verify(cookie, Address, Start, out _));
        for (int bit = 0; bit < 128; bit += 9) Assert.False(cookies.Verify(cookie ^ (UInt128.One << bit), Address, Start, out _));
        Assert.NotEqual(cookie, cookies.Mint(Other, Start));
        Assert.NotEqual(cookie, cookies.Mint(Address, Start + 300));
    }

    [Fact]
    public void Verify_IPv4AndItsMappedForm_SameCookie()
    {
        var cookies = Cookies();
        Assert.Equal(cookies.Mint(Address, Start), cookies.Mint(SourceKey.From(System.Net.IPAddress.Parse("::ffff:192.0.2.7")), Start));
    }

    [Fact]
    public void Verify_AllocatesNothing()
    {
        var cookies = Cookies();
        UInt128 cookie = cookies.Mint(Address, Start);
        cookies.Verify(cookie, Address, Start, out _);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
        {
            cookies.Verify(cookie, Address, Start, out _);
            cookies.Verify(cookie, Other, Start, out _);
            cookies.Mint(Other, Start);
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void Constructor_SecretNot32Bytes_Throws() =>
        Assert.Throws<ArgumentException>(() => new ReturnCookies(new byte[16]));
}
