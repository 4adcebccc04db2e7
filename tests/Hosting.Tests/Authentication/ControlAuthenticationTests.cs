using Microsoft.Extensions.Logging.Abstractions;
using Replicator.Hosting.Authentication;
using Replicator.Protocol.Control;

namespace Replicator.Hosting.Tests.Authentication;

public sealed class ControlAuthenticationTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("auth-");

    public void Dispose() => _directory.Delete(recursive: true);

    private static ControlAuthenticationSettings Settings(string? keyFile, bool allow) =>
        new(keyFile, TimeSpan.FromSeconds(30), 1024, TimeSpan.FromSeconds(10), "ServiceNode:Authentication:KeyFile", allow, "vxsnd");

    private string KeyFile(out AuthKeyRing ring)
    {
        string path = Path.Combine(_directory.FullName, $"keys-{Guid.NewGuid():N}");
        Assert.True(AuthKeyFileWriter.TryWrite(path, AuthKeyFileWriter.NewKeyFileText(1, "vxsnd", DateTimeOffset.UtcNow), false, out string problem), problem);
        ring = AuthKeyFileFormat.Parse(File.ReadAllText(path));
        return path;
    }

    private static ControlAuthentication Create(ControlAuthenticationSettings settings) =>
        new(settings, TimeProvider.System, NullLogger<ControlAuthentication>.Instance);

    private static byte[] Register(bool reserve) =>
        ControlCodec.Encode(new RegisterMessage("vtep", 90, false, WireResponseWanted.None, [new VniAddresses(100, [System.Net.IPAddress.Parse("192.0.2.11")])]), reserve);

    [Fact]
    public void Check_NoKeyFileNoOptOut_OneLineNamingBothKeysAndKeygen()
    {
        var errors = new AuthKeyFileStartupCheck(Settings(null, allow: false)).Check();

        string error = Assert.Single(errors);
        Assert.StartsWith("ServiceNode:Authentication:KeyFile is not set", error);
        Assert.Contains("ServiceNode:Authentication:AllowUnauthenticated", error);
        Assert.Contains("vxsnd keygen /etc/replicator/keys", error);
        Assert.DoesNotContain('\n', error);
    }

    [Fact]
    public void Check_NoKeyFileWithOptOut_NoError()
    {
        Assert.Empty(new AuthKeyFileStartupCheck(Settings(null, allow: true)).Check());
        Assert.Empty(new AuthKeyFileStartupCheck(Settings("", allow: true)).Check());
    }

    [Fact]
    public void Check_KeyFile_NoErrorWithOrWithoutOptOut()
    {
        string path = KeyFile(out _);
        Assert.Empty(new AuthKeyFileStartupCheck(Settings(path, allow: false)).Check());
        Assert.Empty(new AuthKeyFileStartupCheck(Settings(path, allow: true)).Check());
    }

    [Fact]
    public void AllowUnauthenticatedOptionName_FromKeyFileOptionSection() =>
        Assert.Equal("RegistrationDaemon:Authentication:AllowUnauthenticated",
            (Settings(null, false) with { KeyFileOptionName = "RegistrationDaemon:Authentication:KeyFile" }).AllowUnauthenticatedOptionName);

    [Fact]
    public void State_NoKeyFile_OffAndEverythingPasses()
    {
        var authentication = Create(Settings(null, allow: true));

        Assert.Equal(ControlAuthenticationState.Off, authentication.State);
        Assert.False(authentication.Enabled);
        Assert.Equal(ControlVerification.Ok, authentication.Verify(Register(reserve: false)));
    }

    [Fact]
    public void Verify_KeyFileWithoutOptOut_UnsignedRefused()
    {
        var authentication = Create(Settings(KeyFile(out _), allow: false));

        Assert.Equal(ControlAuthenticationState.On, authentication.State);
        Assert.Equal(ControlVerification.Unsigned, authentication.Verify(Register(reserve: false)));
    }

    [Fact]
    public void Verify_Transitional_UnsignedAndSignedPassForgedRefused()
    {
        var authentication = Create(Settings(KeyFile(out var ring), allow: true));
        KeyFile(out var foreign);
        byte[] signed = Register(reserve: true);
        ring.Sign(signed, TimeProvider.System);
        byte[] forged = Register(reserve: true);
        foreign.Sign(forged, TimeProvider.System); // same id, another key

        Assert.Equal(ControlAuthenticationState.Transitional, authentication.State);
        Assert.True(authentication.Enabled);
        Assert.Equal(ControlVerification.Ok, authentication.Verify(Register(reserve: false)));
        Assert.Equal(ControlVerification.Ok, authentication.Verify(signed));
        Assert.Equal(ControlVerification.Replayed, authentication.Verify(signed));
        Assert.Equal(ControlVerification.BadSignature, authentication.Verify(forged));
    }

    [Fact]
    public void Verify_Transitional_OnlyAVerifiedTrailerCountsAsSigned()
    {
        var authentication = Create(Settings(KeyFile(out var ring), allow: true));
        byte[] signed = Register(reserve: true);
        ring.Sign(signed, TimeProvider.System);

        Assert.Equal(ControlVerification.Ok, authentication.Verify(Register(reserve: false), out bool unsignedCounts));
        Assert.Equal(ControlVerification.Ok, authentication.Verify(signed, out bool signedCounts));
        Assert.False(unsignedCounts); // let through, but with no more trust than with authentication off
        Assert.True(signedCounts);
        Assert.Equal(ControlVerification.Ok, Create(Settings(null, allow: true)).Verify(signed, out bool offCounts));
        Assert.False(offCounts);
    }
}
