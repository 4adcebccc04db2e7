using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Replicator.Hosting.Configuration;

public static class ConfigurationKeysExtensions
{
    /// <summary>
    /// Declares keys of a daemon-owned section (<see cref="ReloadableOptionsExtensions.AddReloadableOptions{TOptions}"/> and
    /// <see cref="StartupOptionsExtensions.AddStartupOptions{TOptions}"/> do it for their options class) and
    /// adds the start-up check that refuses any other key in that section, and any value of the wrong
    /// shape (an array or object where a single value belongs, null anywhere).
    /// </summary>
    public static IServiceCollection AddConfigurationKeys(this IServiceCollection services, ConfigurationSectionKeys keys)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(keys);
        // Not TryAddEnumerable: it would keep only the first instance of this type.
        services.AddSingleton(keys);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IStartupCheck, ConfigurationKeysStartupCheck>());
        return services;
    }
}
