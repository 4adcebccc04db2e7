using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Replicator.RegistrationDaemon.Devices;

internal static class DevicesServiceCollectionExtensions
{
    /// <summary>Link discovery over rtnetlink (dump, then notifications, resync on loss).</summary>
    public static IServiceCollection AddDeviceDiscovery(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton<ILinkSource, KernelLinkSource>();
        return services;
    }
}
