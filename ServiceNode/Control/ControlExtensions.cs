using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Replicator.ServiceNode.Hardening;
using Replicator.ServiceNode.Registry;

namespace Replicator.ServiceNode.Control;

internal static class ControlExtensions
{
    /// <summary>
    /// Adds the UDP control protocol: the socket, the receiver (hosted; register after
    /// <see cref="RegistryExtensions.AddRegistry"/> so the registry is loaded first), the answering
    /// and pushing of peer lists, and <see cref="ControlMetrics"/>.
    /// </summary>
    public static IServiceCollection AddControl(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddMetrics();
        services.AddHardening();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ControlMetrics>();
        services.TryAddSingleton<ControlSocket>();
        services.TryAddSingleton(_ => new PeerListHistory());
        services.TryAddSingleton<DeltaReceivers>();
        services.TryAddSingleton<PeerListSender>();
        services.TryAddSingleton(sp => new PushPacer(
            sp.GetRequiredService<Hosting.Configuration.IReloadableOptions<ControlLimitsOptions>>(),
            sp.GetRequiredService<PeerListSender>(),
            sp.GetRequiredService<ControlMetrics>(),
            sp.GetRequiredService<TimeProvider>(),
            () => sp.GetRequiredService<IRegistryWriter>()));
        services.TryAddSingleton(sp => new PeerListPusher(
            sp.GetRequiredService<PeerListSender>(),
            sp.GetRequiredService<ControlMetrics>(),
            sp.GetRequiredService<TimeProvider>(),
            // Lazy: the loop depends on its listeners, so the pusher cannot take the loop eagerly.
            () => sp.GetRequiredService<IRegistryWriter>(),
            sp.GetRequiredService<DeltaReceivers>(),
            sp.GetRequiredService<PushPacer>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IMembershipListener, PeerListPusher>(sp => sp.GetRequiredService<PeerListPusher>()));
        services.TryAddSingleton<AnswerBatch>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IBatchListener, AnswerBatch>(sp => sp.GetRequiredService<AnswerBatch>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, ControlService>());
        return services;
    }
}
