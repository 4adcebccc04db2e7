using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Replicator.ServiceNode.Bgp;
using Replicator.ServiceNode.Bgp.Evpn;
using Replicator.ServiceNode.Registry;

namespace Replicator.ServiceNode.Tests.Bgp.Evpn;

/// <summary>The daemon's own composition: the bridge is there only with BGP on, and its parts resolve without a cycle.</summary>
public sealed class EvpnExtensionsTests
{
    [Fact]
    public void AddEvpnBridge_BgpOff_OnlyTheOptions()
    {
        using var host = Program.CreateBuilder(null, []).Build();

        Assert.Empty(host.Services.GetServices<IBgpRouteListener>());
        Assert.Empty(host.Services.GetServices<IExportListener>());
        Assert.DoesNotContain(host.Services.GetServices<IHostedService>(), s => s is EvpnBridgeService);
    }

    [Fact]
    public void AddEvpnBridge_BgpOn_SpeakerListenerAndLoopConnected()
    {
        var builder = Program.CreateBuilder(null,
            [$"--{EvpnExtensions.BgpEnabledKey}=true", "--ServiceNode:Bgp:LocalAs=65000", "--ServiceNode:Bgp:RouterId=192.0.2.1",
             "--ServiceNode:Bgp:Peers:0=192.0.2.201"]);
        using var host = builder.Build();

        // The real speaker, with the bridge among its listeners and our AS for the route targets.
        var speaker = host.Services.GetRequiredService<IBgpSpeaker>();
        Assert.Equal(65000u, speaker.LocalAs);
        Assert.IsType<EvpnBridge>(Assert.Single(host.Services.GetServices<IBgpRouteListener>()));
        Assert.IsType<EvpnExporter>(Assert.Single(host.Services.GetServices<IExportListener>()));
        Assert.Contains(host.Services.GetServices<IHostedService>(), s => s is EvpnBridgeService);
        Assert.NotNull(host.Services.GetRequiredService<RegistryLoop>());
    }
}
