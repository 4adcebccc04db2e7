using Microsoft.Extensions.Configuration;
using Replicator.Hosting.Configuration;
using Replicator.ServiceNode.Bgp;

namespace Replicator.ServiceNode.Tests.Bgp;

public class BgpOptionsTests
{
    [Fact]
    public void Validate_Disabled_NothingRequired()
    {
        Assert.True(new BgpOptionsValidator().Validate(null, new BgpOptions()).Succeeded);
    }

    [Fact]
    public void Validate_EverythingWrong_AllProblemsAtOnce()
    {
        var options = new BgpOptions
        {
            Enabled = true,
            RouterId = "2001:db8::1",
            Peers = ["192.0.2.1", "bgp.example", "192.0.2.1:1179"],
            Port = 0,
            HoldTime = TimeSpan.FromSeconds(2),
            ConnectRetry = TimeSpan.FromSeconds(10),
            ConnectRetryMax = TimeSpan.FromSeconds(5),
            LocalAddress = "224.0.0.1",
            PasswordFile = "/nonexistent/bgp-password",
            MaxRoutesPerPeer = 0,
            MaxQueuedChangesPerPeer = 0,
        };
        var failures = new BgpOptionsValidator().Validate(null, options).Failures!.ToList();
        foreach (string key in new[] { "LocalAs", "RouterId", "Peers:1", "Peers:2", "Port", "HoldTime", "ConnectRetryMax", "LocalAddress", "PasswordFile", "MaxRoutesPerPeer",
            "MaxQueuedChangesPerPeer" })
            Assert.Contains(failures, f => f.StartsWith($"ServiceNode:Bgp:{key} ", StringComparison.Ordinal) || f.StartsWith($"ServiceNode:Bgp:{key}:", StringComparison.Ordinal));
        Assert.Equal(11, failures.Count);
    }

    [Fact]
    public void Settings_RouterIdDefault_ControlAddressWhenIpv4()
    {
        var options = new BgpOptions { Enabled = true, LocalAs = 4_200_000_000, Peers = ["192.0.2.1", "[2001:db8::1]:1179"] };
        BgpSettings settings = BgpSettings.From(options, "192.0.2.10");
        Assert.Equal("192.0.2.10", BgpSettings.RouterIdText(settings.RouterId));
        Assert.Equal(["192.0.2.1:179", "[2001:db8::1]:1179"], settings.Peers.Select(p => p.ToString()));
        Assert.Equal((ushort)90, settings.HoldTimeSeconds);
        Assert.Equal(10_000, settings.MaxQueuedChangesPerPeer);
        Assert.Null(BgpSettings.DefaultRouterId("::"));
        Assert.Null(BgpSettings.DefaultRouterId("0.0.0.0"));
    }

    [Fact]
    public void KeyCheck_EvpnSubsectionOfItsOwnOptions_Accepted()
    {
        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ServiceNode:Bgp:Enabled"] = "true",
            ["ServiceNode:Bgp:Evpn:RouteTarget"] = "65000:100",
        }).Build();
        ConfigurationSectionKeys[] keys =
        [
            ConfigurationSectionKeys.Of<BgpOptions>(BgpOptions.SectionName),
            new($"{BgpOptions.SectionName}:Evpn", [new("RouteTarget", typeof(string))]),
        ];
        Assert.Empty(ConfigurationKeysCheck.Check(configuration, keys));
        Assert.Single(ConfigurationKeysCheck.Check(configuration, keys[..1]));
    }
}
