using Microsoft.Extensions.DependencyInjection;
using Replicator.Hosting.Authentication;

namespace Replicator.RegistrationDaemon.Hardening;

internal static class HardeningServiceCollectionExtensions
{
    /// <summary>vxrd's control authentication keys (<see cref="ControlAuthenticationOptions"/>).</summary>
    public const string AuthenticationSectionName = "RegistrationDaemon:" + ControlAuthenticationOptions.SectionName;

    /// <summary>vxrd's default <c>ReplayCacheSize</c>: a VTEP receives few peer lists, so a quarter of vxsnd's.</summary>
    public const int DefaultReplayCacheSize = 16384;

    /// <summary>Adds control authentication (section <c>RegistrationDaemon:Authentication</c>, key-file check and reloader). Called by <c>AddRegistration</c>.</summary>
    public static IServiceCollection AddHardening(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddControlAuthentication(AuthenticationSectionName, "vxrd", DefaultReplayCacheSize);
        return services;
    }
}
