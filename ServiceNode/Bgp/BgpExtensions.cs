using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Replicator.Hosting.Configuration;
using Replicator.Hosting.Management;
using Replicator.ServiceNode.Configuration;

namespace Replicator.ServiceNode.Bgp;

internal static class BgpExtensions
{
    /// <summary>
    /// Adds the BGP speaker: <see cref="BgpOptions"/> (section <c>ServiceNode:Bgp</c>, read once and
    /// validated at start), <see cref="IBgpSpeaker"/> (always: with the speaker off it holds the set
    /// and sends it nowhere), the sessions as a hosted service, <see cref="BgpMetrics"/> and
    /// <c>GET /bgp</c>. Received routes go to every registered <see cref="IBgpRouteListener"/>.
    /// The subsection <c>ServiceNode:Bgp:Evpn</c> is the EVPN bridge's: registered with its own
    /// options class, it is a nested section of this one, so the key check of <c>ServiceNode:Bgp</c>
    /// accepts it (as <c>ServiceNode:DataPlane</c> is accepted in <c>ServiceNode</c>).
    /// </summary>
    public static IServiceCollection AddBgp(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddServiceNodeOptions();
        services.AddStartupOptions<BgpOptions, BgpOptionsValidator>(BgpOptions.SectionName);
        services.AddMetrics();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<BgpMetrics>();
        services.TryAddSingleton<BgpSpeaker>();
        services.TryAddSingleton<IBgpSpeaker>(sp => sp.GetRequiredService<BgpSpeaker>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, BgpSpeaker>(sp => sp.GetRequiredService<BgpSpeaker>()));
        services.TryAddSingleton<BgpEndpoints>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IManagementEndpoints, BgpEndpoints>(sp => sp.GetRequiredService<BgpEndpoints>()));
        return services;
    }
}
