using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Replicator.Hosting.Configuration;
using Replicator.ServiceNode.Registry;

namespace Replicator.ServiceNode.Bgp.Evpn;

internal static class EvpnExtensions
{
    /// <summary>Key that switches BGP on; the speaker's (<c>ServiceNode:Bgp</c>). Read here because it decides what is composed.</summary>
    public const string BgpEnabledKey = "ServiceNode:Bgp:Enabled";

    /// <summary>
    /// Declares <c>ServiceNode:Bgp:Evpn</c> (always, so its keys are checked) and, when <see cref="BgpEnabledKey"/> is
    /// true, adds the bridge between the registry and the BGP speaker: the <see cref="EvpnExporter"/> (an
    /// <see cref="IExportListener"/> of the registry loop), the <see cref="EvpnBridge"/> (the speaker's
    /// <see cref="IBgpRouteListener"/>), the <see cref="EvpnImportTable"/>, <see cref="EvpnMetrics"/> and the
    /// <see cref="EvpnBridgeService"/>. Needs <see cref="RegistryExtensions.AddRegistry"/> and <see cref="BgpExtensions.AddBgp"/>
    /// (the <see cref="IBgpSpeaker"/>, which calls every registered <see cref="IBgpRouteListener"/>).
    /// </summary>
    public static IServiceCollection AddEvpnBridge(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddStartupOptions<EvpnOptions, EvpnOptionsValidator>(EvpnOptions.SectionName);
        if (!bool.TryParse(configuration[BgpEnabledKey], out bool enabled) || !enabled) return services;

        services.AddMetrics();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<EvpnMetrics>();
        services.TryAddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<EvpnOptions>>().Value;
            var speaker = sp.GetRequiredService<IBgpSpeaker>();
            EvpnValueFormat.TryParse(options.RouteDistinguisher, routeDistinguisher: true, out var rd, out _);
            EvpnValueFormat.TryParse(options.RouteTarget, routeDistinguisher: false, out var rt, out _);
            var logger = sp.GetRequiredService<ILogger<EvpnExporter>>();
            return new EvpnExporter(speaker, new EvpnRouteBuilder(rd, rt, speaker.LocalAs),
                (vni, vtep, holder) => EvpnLog.RouteDistinguisherCollision(logger, vni, vtep.ToString(), holder));
        });
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IExportListener, EvpnExporter>(sp => sp.GetRequiredService<EvpnExporter>()));
        services.TryAddSingleton(sp => new EvpnImportTable(new EvpnImportFilter(
            sp.GetRequiredService<IOptions<EvpnOptions>>().Value.ImportRouteTargets,
            () => sp.GetRequiredService<IBgpSpeaker>().LocalAs)));
        services.TryAddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<EvpnOptions>>().Value;
            return new EvpnBridge(sp.GetRequiredService<EvpnImportTable>(), () => sp.GetRequiredService<IRegistryWriter>(),
                sp.GetRequiredService<EvpnMetrics>(), sp.GetRequiredService<TimeProvider>(), options.GraceTime, options.Import,
                sp.GetRequiredService<ILogger<EvpnBridge>>());
        });
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IBgpRouteListener, EvpnBridge>(sp => sp.GetRequiredService<EvpnBridge>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, EvpnBridgeService>());
        return services;
    }
}
