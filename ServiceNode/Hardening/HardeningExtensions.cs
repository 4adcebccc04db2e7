using Replicator.Hosting.Authentication;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Replicator.Hosting.Configuration;

namespace Replicator.ServiceNode.Hardening;

public static class HardeningExtensions
{
    /// <summary>
    /// Adds the control-plane guards (<see cref="ControlGuard"/>: rate limits, authentication, VNIs
    /// per source; <see cref="ReturnRoutability"/>: the budget towards unproven addresses), their options (limits: section <c>ServiceNode:Hardening</c>; authentication: section <c>ServiceNode</c>), and the shared control
    /// authentication (key-file startup check and reloader). Called by <c>AddControl</c>.
    /// </summary>
    public static IServiceCollection AddHardening(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<HardeningOptions>, HardeningOptionsValidator>());
        services.AddReloadableOptions<HardeningOptions>(HardeningOptions.SectionName);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ControlLimitsOptions>, ControlLimitsOptionsValidator>());
        services.AddReloadableOptions<ControlLimitsOptions>(ControlLimitsOptions.SectionName);
        services.AddControlAuthentication(sp =>
        {
            var o = sp.GetRequiredService<IReloadableOptions<HardeningOptions>>().Current;
            return new ControlAuthenticationSettings(o.AuthKeyFile, o.AuthMaxClockSkew, o.AuthReplayCacheSize, o.AuthKeyFileCheckInterval,
                $"{HardeningOptions.SectionName}:{nameof(HardeningOptions.AuthKeyFile)}", o.AllowUnauthenticated, "vxsnd");
        });
        services.TryAddSingleton<ControlGuard>();
        services.TryAddSingleton<ReturnRoutabilityMetrics>();
        services.TryAddSingleton<ReturnRoutability>();
        return services;
    }
}
