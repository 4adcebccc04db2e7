using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Replicator.Hosting.Configuration;

public static class StartupOptionsExtensions
{
    /// <summary>
    /// Registers <see cref="IOptions{TOptions}"/> read once from section <paramref name="sectionName"/>
    /// of the <see cref="IConfiguration"/> service, validated by every registered
    /// <see cref="IValidateOptions{TOptions}"/>, with an <see cref="IStartupCheck"/> reporting its
    /// errors and the section's keys declared (<see cref="ConfigurationKeysExtensions.AddConfigurationKeys"/>).
    /// </summary>
    public static IServiceCollection AddStartupOptions<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicProperties)] TOptions>(this IServiceCollection services, string sectionName)
        where TOptions : class, new()
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(sectionName);
        services.TryAddSingleton(sp => new StartupOptions<TOptions>(
            sp.GetRequiredService<IConfiguration>(), sectionName, sp.GetServices<IValidateOptions<TOptions>>()));
        services.TryAddSingleton<IOptions<TOptions>>(sp => Options.Create(sp.GetRequiredService<StartupOptions<TOptions>>().Value));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IStartupCheck, StartupOptionsCheck<TOptions>>());
        services.AddConfigurationKeys(ConfigurationSectionKeys.Of<TOptions>(sectionName));
        return services;
    }

    /// <summary><see cref="AddStartupOptions{TOptions}(IServiceCollection, string)"/> with its validator.</summary>
    public static IServiceCollection AddStartupOptions<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicProperties)] TOptions, [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TValidator>(this IServiceCollection services, string sectionName)
        where TOptions : class, new()
        where TValidator : class, IValidateOptions<TOptions>
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TOptions>, TValidator>());
        return services.AddStartupOptions<TOptions>(sectionName);
    }

    /// <summary>
    /// <see cref="AddStartupOptions{TOptions}(IServiceCollection, string)"/> for options the composition
    /// itself depends on (whether a listener is added at all): read and validated now, from
    /// <paramref name="configuration"/> (the builder's), by <paramref name="validators"/>. The errors
    /// still stop start-up with every other configuration error (<see cref="IStartupCheck"/>), not here;
    /// the caller uses <see cref="StartupOptions{TOptions}.Value"/> only when there are none.
    /// </summary>
    public static StartupOptions<TOptions> AddStartupOptions<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicProperties)] TOptions>(this IServiceCollection services, IConfiguration configuration, string sectionName,
        IEnumerable<IValidateOptions<TOptions>> validators)
        where TOptions : class, new()
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(sectionName);
        var options = new StartupOptions<TOptions>(configuration, sectionName, validators);
        services.TryAddSingleton(options);
        services.TryAddSingleton<IOptions<TOptions>>(Options.Create(options.Value));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IStartupCheck, StartupOptionsCheck<TOptions>>());
        services.AddConfigurationKeys(ConfigurationSectionKeys.Of<TOptions>(sectionName));
        return options;
    }
}
