using Microsoft.Extensions.DependencyInjection;
using Replicator.Hosting.Management;
using Replicator.RegistrationDaemon.Configuration;

namespace Replicator.RegistrationDaemon.Management;

internal static class ManagementServiceCollectionExtensions
{
    /// <summary>The management API on <c>ManagementSocket</c> (devices, peers, status, flush).</summary>
    public static IServiceCollection AddRegistrationManagement(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddManagementServer(sp => sp.GetRequiredService<StaticSettings>().ManagementSocket);
        services.AddManagementEndpoints<RegistrationManagementEndpoints>();
        return services;
    }
}
