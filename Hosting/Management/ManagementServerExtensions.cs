using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace Replicator.Hosting.Management;

public static class ManagementServerExtensions
{
    /// <summary>
    /// Hosts the management HTTP API on the unix socket <paramref name="socketPath"/> returns
    /// (evaluated once, at start). Features add routes with <see cref="AddManagementEndpoints{T}"/>.
    /// </summary>
    public static IServiceCollection AddManagementServer(this IServiceCollection services, Func<IServiceProvider, string> socketPath)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(socketPath);
        services.TryAddSingleton(sp => new ManagementServerOptions { SocketPath = socketPath(sp) });
        services.TryAddSingleton<ManagementServer>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, ManagementServer>(sp => sp.GetRequiredService<ManagementServer>()));
        return services;
    }

    /// <summary>Adds a feature's routes to the management API.</summary>
    public static IServiceCollection AddManagementEndpoints<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] T>(this IServiceCollection services) where T : class, IManagementEndpoints
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IManagementEndpoints, T>());
        return services;
    }
}
