using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Replicator.Hosting.Authentication;
using Replicator.Hosting.Configuration;

namespace Replicator.ServiceNode.Hardening;

internal static class HardeningExtensions
{
    /// <summary>vxsnd's control authentication keys (<see cref="ControlAuthenticationOptions"/>).</summary>
    public const string AuthenticationSectionName = "ServiceNode:" + ControlAuthenticationOptions.SectionName;

    /// <summary>
    /// Adds the control-plane guards (<see cref="ControlGuard"/>: rate limits, authentication, VNIs
    /// per source; <see cref="ReturnRoutability"/>: the budget towards unproven addresses), their limits (section
    /// <c>ServiceNode:Hardening</c>, <see cref="ControlLimitsOptions"/>), and the shared control authentication
    /// (section <c>ServiceNode:Authentication</c>, key-file startup check and reloader). Called by <c>AddControl</c>.
    /// </summary>
    public static IServiceCollection AddHardening(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddReloadableOptions<ControlLimitsOptions, ControlLimitsOptionsValidator>(ControlLimitsOptions.SectionName);
        services.AddControlAuthentication(AuthenticationSectionName, "vxsnd", ReplayGuard.DefaultCapacity);
        services.TryAddSingleton<ControlGuard>();
        services.TryAddSingleton<ReturnRoutabilityMetrics>();
        services.TryAddSingleton<ReturnRoutability>();
        return services;
    }
}
