using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Replicator.Protocol.Control;
using Replicator.ServiceNode.Hardening;
using Replicator.ServiceNode.Hardening.RateLimiting;
using Replicator.TestSupport;

namespace Replicator.ServiceNode.Tests.Hardening;

public sealed class ReturnRoutabilityTests : IDisposable
{
    private static readonly IPAddress Vtep = IPAddress.Parse("192.0.2.7");
    private readonly FakeTimeProvider _time = new();
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly ReturnCookies _cookies = new(new byte[32]);

    public void Dispose() => _services.Dispose();

    private ReturnRoutability Create(int maxAddresses = 100, bool enabled = true) =>
        new(maxAddresses, enabled, new ReturnRoutabilityMetrics(_services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>()), _time, _cookies);

    private static RegisterMessage Register(uint hold = 90, UInt128? cookie = null, bool relayed = false) =>
        new RegisterMessage("n", hold, relayed, WireResponseWanted.RegisteredVnis, [new VniAddresses(100, [Vtep])]) { Cookie = cookie };

    [Fact]
    public void TrySpend_Unproven_ExactlyThreeTimesWhatItSent()
    {
        var rr = Create();
        rr.OnRegistration(Register(), Vtep, 40);
        rr.OnRegistration(Register(), Vtep, 17);
        Assert.Equal(ReturnVerdict.Credited, rr.TrySpend(Vtep, 100));
        Assert.Equal(ReturnVerdict.Withheld, rr.TrySpend(Vtep, 72)); // 171 - 100 = 71 left
        Assert.Equal(ReturnVerdict.Credited, rr.TrySpend(Vtep, 71));
        Assert.Equal(ReturnVerdict.Withheld, rr.TrySpend(Vtep, 1));
        Assert.Equal(ReturnVerdict.Withheld, rr.TrySpend(IPAddress.Parse("192.0.2.8"), 1)); // never sent anything
    }

    [Fact]
    public void TrySpend_ValidCookie_ProvenWithoutSpending()
    {
        var rr = Create();
        rr.OnRegistration(Register(cookie: rr.CookieFor(Vtep)), Vtep, 40);
        for (int i = 0; i < 10; i++) Assert.Equal(ReturnVerdict.Proven, rr.TrySpend(Vtep, 65_000));
        // The IPv4-mapped form is the same address.
        Assert.Equal(ReturnVerdict.Proven, rr.TrySpend(IPAddress.Parse("::ffff:192.0.2.7"), 1));
    }

    [Fact]
    public void OnRegistration_CookieOfAnotherAddressOrForged_NotProven()
    {
        var rr = Create();
        rr.OnRegistration(Register(cookie: rr.CookieFor(IPAddress.Parse("192.0.2.8"))), Vtep, 40);
        rr.OnRegistration(Register(cookie: 12345), Vtep, 40);
        Assert.Equal(ReturnVerdict.Withheld, rr.TrySpend(Vtep, 241));
        Assert.Equal(ReturnVerdict.Credited, rr.TrySpend(Vtep, 240));
    }

    [Fact]
    public void Proof_LastsCookieValidityOrHoldTime_WhicheverIsLonger()
    {
        var rr = Create();
        rr.OnRegistration(Register(hold: 30, cookie: rr.CookieFor(Vtep)), Vtep, 40); // at an epoch start: valid 600 s
        _time.Advance(TimeSpan.FromSeconds(599));
        Assert.Equal(ReturnVerdict.Proven, rr.TrySpend(Vtep, 1));
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(ReturnVerdict.Withheld, rr.TrySpend(Vtep, 1));

        rr.OnRegistration(Register(hold: 3600, cookie: rr.CookieFor(Vtep)), Vtep, 40);
        _time.Advance(TimeSpan.FromSeconds(3599));
        Assert.Equal(ReturnVerdict.Proven, rr.TrySpend(Vtep, 1));
    }

    [Fact]
    public void Proof_NotRevokedByARegistrationWithoutCookie()
    {
        var rr = Create();
        rr.OnRegistration(Register(cookie: rr.CookieFor(Vtep)), Vtep, 40);
        rr.OnRegistration(Register(), Vtep, 17); // anyone can forge this one
        Assert.Equal(ReturnVerdict.Proven, rr.TrySpend(Vtep, 100_000));
    }

    [Fact]
    public void Credit_ExpiresAfterOneEpoch_CannotBeSavedUp()
    {
        var rr = Create();
        rr.OnRegistration(Register(), Vtep, 100);
        _time.Advance(TimeSpan.FromSeconds(ReturnCookies.EpochSeconds - 1));
        rr.OnRegistration(Register(), Vtep, 100); // same window: 600 in total
        Assert.Equal(600, rr.Table.CreditOf(SourceKey.From(Vtep), _time.GetUtcNow().ToUnixTimeSeconds()));
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(ReturnVerdict.Withheld, rr.TrySpend(Vtep, 1)); // the window of the first byte is over
        rr.OnRegistration(Register(), Vtep, 10);
        Assert.Equal(ReturnVerdict.Withheld, rr.TrySpend(Vtep, 31));
        Assert.Equal(ReturnVerdict.Credited, rr.TrySpend(Vtep, 30));
    }

    [Fact]
    public void Table_ManySources_StaysBoundedAndKeepsProvenAddresses()
    {
        var rr = Create(maxAddresses: 64);
        rr.OnRegistration(Register(cookie: rr.CookieFor(Vtep)), Vtep, 40);
        for (int i = 0; i < 10_000; i++)
        {
            var spoofed = new IPAddress([198, 51, (byte)(i >> 8), (byte)i]);
            rr.OnRegistration(Register(), spoofed, 17);
        }
        var (proven, credited) = rr.Table.Count;
        Assert.Equal(1, proven);
        Assert.InRange(credited, 1, 64);
        Assert.Equal(ReturnVerdict.Proven, rr.TrySpend(Vtep, 10_000));
    }

    [Fact]
    public void OnRegistration_RelayedOrDisabled_Ignored()
    {
        var rr = Create();
        rr.OnRegistration(Register(relayed: true), Vtep, 1000);
        Assert.Equal(ReturnVerdict.Withheld, rr.TrySpend(Vtep, 1));
        var off = Create(enabled: false);
        Assert.Equal(ReturnVerdict.Proven, off.TrySpend(Vtep, 1_000_000));
    }

    [Fact]
    public void OnRegistration_Signed_ProvesTheSourceWithoutACookie()
    {
        var rr = Create(); // transitional state: budgeted, but a key holder is trusted as before

        rr.OnRegistration(Register(), Vtep, 40, authenticated: true);

        Assert.Equal(ReturnVerdict.Proven, rr.TrySpend(Vtep, 1_000_000));
    }

    [Theory]
    [InlineData(false, true, true)]  // no key file (AllowUnauthenticated): budgeted
    [InlineData(true, true, true)]   // transitional: unsigned datagrams admitted, so budgeted
    [InlineData(true, false, false)] // on: everything accepted is signed, nothing changes
    public void Enabled_ByAuthenticationState(bool keyFile, bool allowUnauthenticated, bool expected)
    {
        var dir = Directory.CreateTempSubdirectory("rr-keys-");
        try
        {
            var authentication = new Hosting.Authentication.ControlAuthentication(
                new Hosting.Authentication.ControlAuthenticationSettings(keyFile ? TestKeyFile.Write(dir.FullName) : null, TimeSpan.FromSeconds(30), 1024,
                    TimeSpan.FromSeconds(10), "ServiceNode:Authentication:KeyFile", allowUnauthenticated),
                _time, Microsoft.Extensions.Logging.Abstractions.NullLogger<Hosting.Authentication.ControlAuthentication>.Instance);
            var options = new Hosting.Configuration.ReloadableOptions<ControlLimitsOptions>(new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build(),
                ControlLimitsOptions.SectionName, [], Microsoft.Extensions.Logging.Abstractions.NullLogger<Hosting.Configuration.ReloadableOptions<ControlLimitsOptions>>.Instance);

            var rr = new ReturnRoutability(options, authentication,
                new ReturnRoutabilityMetrics(_services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>()), _time);

            Assert.Equal(expected, rr.Enabled);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
