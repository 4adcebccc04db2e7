using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Replicator.Linux.Fdb;

namespace Replicator.RegistrationDaemon.Reconcile;

internal static class ReconcileServiceCollectionExtensions
{
    /// <summary>FDB access over rtnetlink and the reconcile metrics.</summary>
    public static IServiceCollection AddReconcile(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddMetrics();
        services.TryAddSingleton<ReconcileMetrics>();
        services.TryAddSingleton<IFdbClient>(_ => FdbClient.Open());
        services.TryAddSingleton<IFdbTable, KernelFdbTable>();
        return services;
    }
}
