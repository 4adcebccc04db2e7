using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Replicator.Hosting.Configuration;

namespace Replicator.Hosting.Authentication;

public static class ControlAuthenticationExtensions
{
    /// <summary>
    /// Adds <see cref="ControlAuthentication"/> with its options (<see cref="ControlAuthenticationOptions"/>)
    /// bound from <paramref name="section"/> (<c>ServiceNode:Authentication</c>,
    /// <c>RegistrationDaemon:Authentication</c>) and validated with every problem named by key and
    /// value, a startup check that refuses a missing (unless <c>AllowUnauthenticated</c>) or bad key
    /// file, the key-file reloader and the <see cref="ControlAuthenticationMetrics"/> gauge.
    /// </summary>
    /// <param name="section">Configuration section of the keys; the daemon's own section plus <see cref="ControlAuthenticationOptions.SectionName"/>.</param>
    /// <param name="daemonName">"vxsnd" or "vxrd": names the gauge and the keygen command in messages.</param>
    /// <param name="defaultReplayCacheSize">The daemon's <c>ReplayCacheSize</c> when the key is not set.</param>
    public static IServiceCollection AddControlAuthentication(this IServiceCollection services, string section, string daemonName,
        int defaultReplayCacheSize)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(section);
        ArgumentNullException.ThrowIfNull(daemonName);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ControlAuthenticationOptions>>(new ControlAuthenticationOptionsValidator(section)));
        services.AddReloadableOptions<ControlAuthenticationOptions>(section);
        services.TryAddSingleton(sp =>
        {
            var o = sp.GetRequiredService<IReloadableOptions<ControlAuthenticationOptions>>().Current;
            return new ControlAuthenticationSettings(o.KeyFile, o.MaxClockSkew, o.ReplayCacheSize ?? defaultReplayCacheSize, o.KeyFileCheckInterval,
                $"{section}:{nameof(ControlAuthenticationOptions.KeyFile)}", o.AllowUnauthenticated, daemonName);
        });
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ControlAuthentication>();
        services.TryAddSingleton(sp => new ControlAuthenticationMetrics(sp.GetService<IMeterFactory>(),
            sp.GetRequiredService<ControlAuthentication>(), sp.GetRequiredService<ControlAuthenticationSettings>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IStartupCheck, AuthKeyFileStartupCheck>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, AuthKeyFileReloader>());
        return services;
    }
}
