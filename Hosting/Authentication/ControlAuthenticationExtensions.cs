using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Replicator.Hosting.Configuration;

namespace Replicator.Hosting.Authentication;

public static class ControlAuthenticationExtensions
{
    /// <summary>
    /// Adds <see cref="ControlAuthentication"/> with settings mapped from the daemon's options, a
    /// startup check that refuses a missing (unless <c>AllowUnauthenticated</c>) or bad key file,
    /// the key-file reloader and the <see cref="ControlAuthenticationMetrics"/> gauge.
    /// </summary>
    public static IServiceCollection AddControlAuthentication(this IServiceCollection services, Func<IServiceProvider, ControlAuthenticationSettings> settings)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(settings);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(settings);
        services.TryAddSingleton<ControlAuthentication>();
        services.TryAddSingleton(sp => new ControlAuthenticationMetrics(sp.GetService<IMeterFactory>(),
            sp.GetRequiredService<ControlAuthentication>(), sp.GetRequiredService<ControlAuthenticationSettings>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IStartupCheck, AuthKeyFileStartupCheck>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, AuthKeyFileReloader>());
        return services;
    }
}
