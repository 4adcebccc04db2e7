using Microsoft.Extensions.DependencyInjection;
using Replicator.Hosting.Configuration;
using Replicator.Hosting.Management;
using Replicator.ServiceNode.Configuration;

namespace Replicator.ServiceNode.Management;

internal static class ServiceNodeManagementExtensions
{
    /// <summary>Adds the management API on <c>ServiceNode:ManagementSocket</c>.</summary>
    public static IServiceCollection AddServiceNodeManagement(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddManagementServer(sp => sp.GetRequiredService<IReloadableOptions<ServiceNodeOptions>>().Current.ManagementSocket);
        services.AddManagementEndpoints<ServiceNodeEndpoints>();
        return services;
    }
}
