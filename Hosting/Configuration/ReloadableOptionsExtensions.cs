using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Replicator.Hosting.Configuration;

public static class ReloadableOptionsExtensions
{
    /// <summary>
    /// Registers <see cref="IReloadableOptions{TOptions}"/> for configuration section <paramref name="sectionName"/>,
    /// validated by every registered <see cref="IValidateOptions{TOptions}"/> (register yours with
    /// <c>TryAddEnumerable</c>), and an <see cref="IStartupCheck"/> that stops start-up on invalid values;
    /// its properties become known keys of the section (<see cref="ConfigurationKeysExtensions.AddConfigurationKeys"/>).
    /// </summary>
    public static IServiceCollection AddReloadableOptions<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicProperties)] TOptions>(this IServiceCollection services, string sectionName)
        where TOptions : class, new()
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(sectionName);
        services.TryAddSingleton(sp => new ReloadableOptions<TOptions>(
            sp.GetRequiredService<IConfiguration>(),
            sectionName,
            sp.GetServices<IValidateOptions<TOptions>>(),
            sp.GetRequiredService<ILogger<ReloadableOptions<TOptions>>>()));
        services.TryAddSingleton<IReloadableOptions<TOptions>>(sp => sp.GetRequiredService<ReloadableOptions<TOptions>>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IStartupCheck, ReloadableOptionsStartupCheck<TOptions>>());
        services.AddConfigurationKeys(ConfigurationSectionKeys.Of<TOptions>(sectionName));
        return services;
    }

    /// <summary>
    /// <see cref="AddReloadableOptions{TOptions}(IServiceCollection, string)"/> with its validator: the one
    /// way every daemon feature registers its options section.
    /// </summary>
    public static IServiceCollection AddReloadableOptions<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicProperties)] TOptions, [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TValidator>(this IServiceCollection services, string sectionName)
        where TOptions : class, new()
        where TValidator : class, IValidateOptions<TOptions>
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TOptions>, TValidator>());
        return services.AddReloadableOptions<TOptions>(sectionName);
    }
}
