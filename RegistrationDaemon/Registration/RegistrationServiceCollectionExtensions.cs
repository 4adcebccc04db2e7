using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

using Replicator.RegistrationDaemon.Hardening;

namespace Replicator.RegistrationDaemon.Registration;

internal static class RegistrationServiceCollectionExtensions
{
    /// <summary>The UDP control channel to the service node and the registration metrics.</summary>
    public static IServiceCollection AddRegistration(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddMetrics();
        services.AddHardening();
        services.TryAddSingleton<RegistrationMetrics>();
        services.TryAddSingleton<UdpControlChannel>();
        services.TryAddSingleton<IControlChannel>(sp => sp.GetRequiredService<UdpControlChannel>());
        return services;
    }
}
