using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Replicator.RegistrationDaemon.Configuration;
using Replicator.RegistrationDaemon.Reconcile;
using Replicator.RegistrationDaemon.Registration;

namespace Replicator.RegistrationDaemon.Daemon;

internal static class DaemonServiceCollectionExtensions
{
    /// <summary>The daemon's state machine and the one loop that drives it (a hosted service).</summary>
    public static IServiceCollection AddDaemonLoop(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(sp => new DaemonCore(
            sp.GetRequiredService<StaticSettings>(),
            sp.GetRequiredService<IRuntimeSettingsSource>().Current,
            sp.GetRequiredService<IFdbTable>(),
            sp.GetRequiredService<IControlChannel>(),
            sp.GetRequiredService<TimeProvider>(),
            Random.Shared,
            sp.GetRequiredService<RegistrationMetrics>(),
            sp.GetRequiredService<ReconcileMetrics>(),
            sp.GetRequiredService<ILogger<DaemonCore>>()));
        services.TryAddSingleton<DaemonLoop>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, DaemonLoop>(sp => sp.GetRequiredService<DaemonLoop>()));
        return services;
    }
}
