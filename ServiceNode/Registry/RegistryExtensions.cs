using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Replicator.Hosting.Configuration;
using Replicator.ServiceNode.Addresses;
using Replicator.ServiceNode.Configuration;

namespace Replicator.ServiceNode.Registry;

public static class RegistryExtensions
{
    /// <summary>
    /// Adds the registry: <see cref="Registry"/>, its <see cref="RegistryLoop"/> (hosted; also the
    /// <see cref="IRegistryWriter"/>), the <see cref="MemberTable"/> the data plane reads, the static
    /// entries store with its start-up check, and <see cref="RegistryMetrics"/>. Needs
    /// <see cref="ServiceNodeOptionsExtensions.AddServiceNodeOptions"/>.
    /// </summary>
    public static IServiceCollection AddRegistry(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddMetrics();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<MemberTable>();
        services.TryAddSingleton<OwnAddresses>();
        services.TryAddSingleton<RegistryMetrics>();
        services.TryAddSingleton(sp => new StaticEntriesStore(sp.GetRequiredService<IReloadableOptions<ServiceNodeOptions>>().Current.StaticEntriesFile,
            sp.GetRequiredService<ILogger<StaticEntriesStore>>()));
        services.TryAddSingleton(sp => new Registry(
            LimitsFrom(sp.GetRequiredService<IReloadableOptions<ServiceNodeOptions>>().Current),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<MemberTable>(),
            sp.GetRequiredService<ILogger<Registry>>()));
        services.TryAddSingleton<RegistryLoop>();
        services.TryAddSingleton<IRegistryWriter>(sp => sp.GetRequiredService<RegistryLoop>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, RegistryLoop>(sp => sp.GetRequiredService<RegistryLoop>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IStartupCheck, StaticEntriesStartupCheck>());
        return services;
    }

    public static RegistryLimits LimitsFrom(ServiceNodeOptions options) =>
        new(options.MaxEntries, options.MaxMembersPerVni, options.HoldTime, options.AllowLoopbackVteps);
}
