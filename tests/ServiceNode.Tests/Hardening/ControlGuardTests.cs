using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Replicator.Hosting.Authentication;
using Replicator.Hosting.Configuration;
using Replicator.Protocol.Control;
using Replicator.ServiceNode.Cluster;
using Replicator.ServiceNode.Configuration;
using Replicator.ServiceNode.Control;
using Replicator.ServiceNode.Hardening;
using Replicator.TestSupport.Configuration;
using RegistryOptions = Replicator.ServiceNode.Registry.RegistryOptions;

namespace Replicator.ServiceNode.Tests.Hardening;

/// <summary>What an unsigned registration may do: only its own source address, relays only from a cluster peer; signed ones as before.</summary>
public sealed class ControlGuardTests : IDisposable
{
    private static readonly IPAddress Own = IPAddress.Parse("192.0.2.10");
    private static readonly IPAddress Victim = IPAddress.Parse("192.0.2.11");
    private static readonly IPAddress Peer = IPAddress.Parse("192.0.2.50");
    private static readonly IPEndPoint From = new(Own, 40000);

    private readonly DirectoryInfo _keys = Directory.CreateTempSubdirectory("guard-keys");

    public void Dispose() => _keys.Delete(recursive: true);

    private static IReloadableOptions<T> Options<T>(string section, Dictionary<string, string?> values) where T : class, new() =>
        TestOptions.Reloadable<T>(section, values);

    private ControlGuard Guard(string? keyFile = null, Dictionary<string, string?>? values = null)
    {
        values ??= [];
        values["ServiceNode:Cluster:Peers:0"] = Peer.ToString();
        var authentication = new ControlAuthentication(
            new ControlAuthenticationSettings(keyFile, TimeSpan.FromSeconds(30), 1024, TimeSpan.FromSeconds(10), "ServiceNode:Authentication:KeyFile"),
            TimeProvider.System, NullLogger<ControlAuthentication>.Instance);
        return new ControlGuard(Options<ControlLimitsOptions>(ControlLimitsOptions.SectionName, values), Options<RegistryOptions>(RegistryOptions.SectionName, values),
            authentication, TimeProvider.System, Options<ClusterOptions>(ClusterOptions.SectionName, values));
    }

    private static RegisterMessage Register(uint hold, bool relayed, params IPAddress[] addresses) =>
        new("node", hold, relayed, WireResponseWanted.None, [new VniAddresses(100, addresses), new VniAddresses(200, addresses)]);

    [Fact]
    public void AdmitRegistration_UnsignedOwnAddress_Admitted()
    {
        Assert.Null(Guard().AdmitRegistration(Register(90, false, Own), From, authenticated: false));
    }

    [Fact]
    public void AdmitRegistration_UnsignedIPv4MappedSource_SameAsIPv4()
    {
        var mapped = new IPEndPoint(Own.MapToIPv6(), 40000); // as a dual-stack socket reports it
        Assert.Null(Guard().AdmitRegistration(Register(90, false, Own), mapped, authenticated: false));
        Assert.Null(Guard().AdmitRegistration(Register(90, false, Own.MapToIPv6()), From, authenticated: false));
    }

    [Theory]
    [InlineData(90u)] // registering someone else (probe 3), or re-owning it under a new node id (probe 4)
    [InlineData(0u)]  // withdrawing someone else (probe 4)
    public void AdmitRegistration_UnsignedNamesAnotherAddress_DroppedWholeAsSourceMismatch(uint hold)
    {
        var guard = Guard();
        Assert.Equal(ControlDropReason.SourceMismatch, guard.AdmitRegistration(Register(hold, false, Victim), From, authenticated: false));
        Assert.Equal(ControlDropReason.SourceMismatch, guard.AdmitRegistration(Register(hold, false, Own, Victim), From, authenticated: false));
        Assert.Contains("source address", guard.Describe(ControlDropReason.SourceMismatch), StringComparison.Ordinal);
    }

    [Fact]
    public void AdmitRegistration_SignedNamesAnotherAddress_AdmittedAsBefore()
    {
        Assert.Null(Guard().AdmitRegistration(Register(90, false, Own, Victim), From, authenticated: true));
    }

    [Fact]
    public void AdmitRegistration_UnsignedRelay_OnlyFromAClusterPeer()
    {
        var guard = Guard();
        Assert.Equal(ControlDropReason.RelayNotPeer, guard.AdmitRegistration(Register(0, true, Victim), From, authenticated: false));
        Assert.Null(guard.AdmitRegistration(Register(0, true, Victim), new IPEndPoint(Peer, 10001), authenticated: false));
        Assert.Null(guard.AdmitRegistration(Register(90, true, Victim), new IPEndPoint(Peer.MapToIPv6(), 10001), authenticated: false));
        // Signed too: a key holder outside Peers cannot pose as a relay to skip the per-source caps.
        Assert.Equal(ControlDropReason.RelayNotPeer, guard.AdmitRegistration(Register(90, true, Victim), From, authenticated: true));
    }

    [Fact]
    public void AdmitRegistration_EachLimit_NamedInReasonAndDescription()
    {
        var guard = Guard(values: new() { ["ServiceNode:Hardening:MaxVnisPerSource"] = "1", ["ServiceNode:Hardening:MaxEntriesPerSource"] = "3" });
        Assert.Equal(ControlDropReason.VniLimit, guard.AdmitRegistration(Register(90, false, Own), From, authenticated: false)); // 2 VNIs
        var three = new RegisterMessage("node", 90, false, WireResponseWanted.None,
            [new VniAddresses(100, [Own, IPAddress.Parse("2001:db8::1"), IPAddress.Parse("2001:db8::2"), IPAddress.Parse("2001:db8::3")])]);
        Assert.Equal(ControlDropReason.EntryLimit, guard.AdmitRegistration(three, From, authenticated: true));
        Assert.Equal("the registration would take its source over ServiceNode:Hardening:MaxVnisPerSource (1 VNIs)", guard.Describe(ControlDropReason.VniLimit));
        Assert.Equal("the registration would take its source over ServiceNode:Hardening:MaxEntriesPerSource (3 entries)", guard.Describe(ControlDropReason.EntryLimit));
        Assert.Contains("ServiceNode:Registry:MaxEntries (2000000)", guard.Describe(ControlDropReason.TableFull), StringComparison.Ordinal);
    }

    [Fact]
    public void Screen_NoKeyFile_NotAuthenticated()
    {
        byte[] datagram = ControlCodec.Encode(Register(90, false, Own));
        Assert.Null(Guard().Screen(datagram, From, out bool authenticated));
        Assert.False(authenticated);
    }

    [Fact]
    public void Screen_SignedWithAListedKey_Authenticated()
    {
        byte[] key = AuthKeyRing.GenerateKey();
        string text = AuthKeyFileFormat.FormatLine(1, key, primary: true) + "\n";
        string path = Path.Combine(_keys.FullName, "keys");
        File.WriteAllText(path, text);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        byte[] datagram = ControlCodec.Encode(Register(90, false, Victim), reserveAuthenticationTrailer: true);
        AuthKeyFileFormat.Parse(text).Sign(datagram, TimeProvider.System);
        var guard = Guard(path);
        Assert.Null(guard.Screen(datagram, From, out bool authenticated));
        Assert.True(authenticated);
        Assert.Equal(ControlDropReason.Unsigned, guard.Screen(ControlCodec.Encode(Register(90, false, Own)), From, out authenticated));
        Assert.False(authenticated);
    }
}
