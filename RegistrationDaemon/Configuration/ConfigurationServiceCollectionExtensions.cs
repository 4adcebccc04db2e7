using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Replicator.Hosting.Configuration;

namespace Replicator.RegistrationDaemon.Configuration;

internal static class ConfigurationServiceCollectionExtensions
{
    /// <summary>
    /// Section <c>RegistrationDaemon</c>: validated at start (all errors at once), reloaded with a
    /// last-good snapshot; <see cref="StaticSettings"/> is read once, <see cref="IRuntimeSettingsSource"/> follows reloads.
    /// </summary>
    public static IServiceCollection AddRegistrationDaemonOptions(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddReloadableOptions<RegistrationDaemonOptions, RegistrationDaemonOptionsValidator>(RegistrationDaemonOptions.SectionName);
        services.TryAddSingleton(sp => StaticSettings.From(sp.GetRequiredService<IReloadableOptions<RegistrationDaemonOptions>>().Current));
        services.TryAddSingleton<IRuntimeSettingsSource, ReloadableRuntimeSettings>();
        services.TryAddSingleton(TimeProvider.System);
        return services;
    }
}
