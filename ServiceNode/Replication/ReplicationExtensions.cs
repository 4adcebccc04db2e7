using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Replicator.Hosting.Configuration;
using Replicator.ServiceNode.Configuration;
using Replicator.ServiceNode.Registry;

namespace Replicator.ServiceNode.Replication;

internal static class ReplicationExtensions
{
    /// <summary>
    /// Adds the data plane: <see cref="ReplicationOptions"/> bound from section <c>ServiceNode:DataPlane</c>
    /// of <paramref name="configuration"/> (the root configuration) and validated by the start-up checks
    /// (with <see cref="ServiceNodeOptions"/>, whose <c>ControlAddress</c> is the default data address), the
    /// <see cref="ReplicationMetrics"/>, and a hosted service running the workers. It reads members
    /// from the <see cref="MemberTable"/> singleton (registered here if the registry has not) and
    /// reports unregistered senders to an <see cref="IUnregisteredSenderSink"/> if one is registered.
    /// </summary>
    public static IServiceCollection AddReplication(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        // Read once at start, but checked with every other key (IStartupCheck), not at StartAsync
        // where a bad value would surface as an exception with a stack trace.
        services.AddStartupOptions<ReplicationOptions, ReplicationOptionsValidator>(ReplicationOptions.SectionName);
        services.AddServiceNodeOptions();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IStartupCheck, Hardening.LearningStartupCheck>());
        services.AddMetrics();
        services.TryAddSingleton<MemberTable>();
        services.TryAddSingleton<ReplicationMetrics>();
        // Next hops for the packet path: the tracker (made with the workers) takes these two.
        services.TryAddSingleton<NextHops.NextHopMetrics>();
        services.TryAddSingleton<NextHops.NextHopMembershipRelay>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IMembershipListener, NextHops.NextHopMembershipRelay>(sp => sp.GetRequiredService<NextHops.NextHopMembershipRelay>()));
        services.TryAddSingleton<IConfiguration>(configuration);
        services.AddHostedService<ReplicationService>();
        return services;
    }
}
