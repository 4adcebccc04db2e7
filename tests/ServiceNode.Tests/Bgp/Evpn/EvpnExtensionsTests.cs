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

        Assert.Null(host.Services.GetService<IBgpRouteListener>());
        Assert.Empty(host.Services.GetServices<IExportListener>());
        Assert.DoesNotContain(host.Services.GetServices<IHostedService>(), s => s is EvpnBridgeService);
    }

    [Fact]
    public void AddEvpnBridge_BgpOn_SpeakerListenerAndLoopConnected()
    {
        var builder = Program.CreateBuilder(null, [$"--{EvpnExtensions.BgpEnabledKey}=true"]);
        var speaker = new RecordingSpeaker();
        // The speaker's place until i18-speaker's composition provides the real one.
        builder.Services.AddSingleton<IBgpSpeaker>(speaker);
        using var host = builder.Build();

        Assert.IsType<EvpnBridge>(host.Services.GetRequiredService<IBgpRouteListener>());
        Assert.IsType<EvpnExporter>(Assert.Single(host.Services.GetServices<IExportListener>()));
        Assert.Contains(host.Services.GetServices<IHostedService>(), s => s is EvpnBridgeService);
        Assert.NotNull(host.Services.GetRequiredService<RegistryLoop>());
    }
}
