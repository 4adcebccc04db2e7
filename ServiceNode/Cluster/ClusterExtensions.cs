using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Replicator.Hosting.Configuration;
using Replicator.Hosting.Management;
using Replicator.ServiceNode.Control;
using Replicator.ServiceNode.Registry;

namespace Replicator.ServiceNode.Cluster;

internal static class ClusterExtensions
{
    /// <summary>
    /// Adds the cluster: <see cref="ClusterOptions"/> (section <c>ServiceNode</c>, validated at start),
    /// the sync listener, the start-up sync, the relay of VTEP registrations to peers
    /// (<see cref="IRegistrationListener"/>), peer keepalives, the anycast address on the loopback,
    /// <see cref="ClusterMetrics"/>, <c>GET /cluster</c> on the management socket and
    /// <see cref="ClusterStatus"/>. Call after <c>AddRegistry()</c> and BEFORE <c>AddControl()</c>:
    /// hosted services start in registration order, and the control socket must open only once the
    /// table has been merged (the start-up sync blocks start for at most <c>SyncTimeout</c>).
    /// </summary>
    /// <exception cref="InvalidOperationException">Called before AddRegistry or after AddControl.</exception>
    public static IServiceCollection AddCluster(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (!services.Any(d => d.ServiceType == typeof(IRegistryWriter)))
            throw new InvalidOperationException("AddCluster() needs AddRegistry() first: the start-up sync merges into the registry");
        if (services.Any(d => d.ServiceType == typeof(IHostedService) && d.ImplementationType == typeof(ControlService)))
            throw new InvalidOperationException("AddCluster() must come before AddControl(): the control socket opens only after the start-up sync");
        services.AddMetrics();
        services.TryAddSingleton(TimeProvider.System);
        services.AddReloadableOptions<ClusterOptions, ClusterOptionsValidator>(ClusterOptions.SectionName);
        services.TryAddSingleton<ClusterState>();
        services.TryAddSingleton(sp => sp.GetRequiredService<ClusterState>().Readiness);
        services.TryAddSingleton<ClusterMetrics>();
        services.TryAddSingleton<ControlSocket>();
        services.TryAddSingleton<RegistrationRelay>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IRegistrationListener, RegistrationRelay>(sp => sp.GetRequiredService<RegistrationRelay>()));
        services.TryAddSingleton<SyncServer>();
        services.TryAddSingleton<StartupSync>();
        services.TryAddSingleton<PeerKeepalive>();
        services.TryAddSingleton<AnycastService>();
        services.TryAddSingleton<ClusterStatus>();
        // Order matters: listen (refusing) first, then sync (blocks start), then the rest.
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, SyncServer>(sp => sp.GetRequiredService<SyncServer>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, StartupSync>(sp => sp.GetRequiredService<StartupSync>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, PeerKeepalive>(sp => sp.GetRequiredService<PeerKeepalive>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, AnycastService>(sp => sp.GetRequiredService<AnycastService>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IManagementEndpoints, ClusterEndpoints>());
        return services;
    }
}
