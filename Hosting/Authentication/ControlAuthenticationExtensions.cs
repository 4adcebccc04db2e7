using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Replicator.Hosting.Configuration;

namespace Replicator.Hosting.Authentication;

public static class ControlAuthenticationExtensions
{
    /// <summary>
    /// Adds <see cref="ControlAuthentication"/> with settings mapped from the daemon's options, a
    /// startup check that refuses a bad key file, and the key-file reloader.
    /// </summary>
    public static IServiceCollection AddControlAuthentication(this IServiceCollection services, Func<IServiceProvider, ControlAuthenticationSettings> settings)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(settings);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(settings);
        services.TryAddSingleton<ControlAuthentication>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IStartupCheck, AuthKeyFileStartupCheck>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, AuthKeyFileReloader>());
        return services;
    }
}
