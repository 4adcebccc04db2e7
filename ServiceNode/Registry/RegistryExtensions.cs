using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Replicator.Hosting.Configuration;
using Replicator.ServiceNode.Addresses;
using Replicator.ServiceNode.Configuration;

namespace Replicator.ServiceNode.Registry;

internal static class RegistryExtensions
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
        services.AddRegistryOptions();
        services.AddMetrics();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<MemberTable>();
        services.TryAddSingleton<OwnAddresses>();
        services.TryAddSingleton<RegistryMetrics>();
        services.TryAddSingleton(sp => new StaticEntriesStore(sp.GetRequiredService<IReloadableOptions<RegistryOptions>>().Current.StaticEntriesFile,
            sp.GetRequiredService<ILogger<StaticEntriesStore>>()));
        services.TryAddSingleton(sp => new Registry(
            LimitsFrom(sp.GetRequiredService<IReloadableOptions<RegistryOptions>>().Current),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<MemberTable>(),
            sp.GetRequiredService<ILogger<Registry>>()));
        services.TryAddSingleton<RegistryLoop>();
        services.TryAddSingleton<IRegistryWriter>(sp => sp.GetRequiredService<RegistryLoop>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, RegistryLoop>(sp => sp.GetRequiredService<RegistryLoop>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IStartupCheck, StaticEntriesStartupCheck>());
        return services;
    }

    /// <summary>
    /// Adds <see cref="IReloadableOptions{RegistryOptions}"/> (section <c>ServiceNode:Registry</c>), validated at
    /// start and on every reload. Called by <see cref="ServiceNodeOptionsExtensions.AddServiceNodeOptions"/>:
    /// features before the registry (own addresses, the control plane) read its limits too.
    /// </summary>
    public static IServiceCollection AddRegistryOptions(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddReloadableOptions<RegistryOptions, RegistryOptionsValidator>(RegistryOptions.SectionName);
        return services;
    }

    public static RegistryLimits LimitsFrom(RegistryOptions options) =>
        new(options.MaxEntries, options.MaxMembersPerVni, options.HoldTime, options.AllowLoopbackVteps);
}
