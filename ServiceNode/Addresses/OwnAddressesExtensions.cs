using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace Replicator.ServiceNode.Addresses;

internal static class OwnAddressesExtensions
{
    /// <summary>
    /// Adds <see cref="OwnAddresses"/> and the hosted <see cref="OwnAddressTracker"/> that follows the
    /// kernel's address table. Add it before the registry: hosted services start in order, and the
    /// registry judges static entries against the own addresses at its start.
    /// </summary>
    public static IServiceCollection AddOwnAddresses(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton<OwnAddresses>();
        services.TryAddSingleton<OwnAddressTracker>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, OwnAddressTracker>(sp => sp.GetRequiredService<OwnAddressTracker>()));
        return services;
    }
}
