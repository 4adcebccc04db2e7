using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Replicator.Hosting.Configuration;
using Replicator.ServiceNode.Registry;

namespace Replicator.ServiceNode.Configuration;

internal static class ServiceNodeOptionsExtensions
{
    /// <summary>
    /// Adds <see cref="IReloadableOptions{ServiceNodeOptions}"/> (section <c>ServiceNode</c>) and the registry's
    /// (<c>ServiceNode:Registry</c>, read by features that start before it), validated at start and on every reload.
    /// </summary>
    public static IServiceCollection AddServiceNodeOptions(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddReloadableOptions<ServiceNodeOptions, ServiceNodeOptionsValidator>(ServiceNodeOptions.SectionName);
        services.AddRegistryOptions();
        return services;
    }
}
