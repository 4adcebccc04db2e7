using Replicator.Hosting.Authentication;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Replicator.Hosting.Configuration;

namespace Replicator.RegistrationDaemon.Hardening;

public static class HardeningServiceCollectionExtensions
{
    /// <summary>Adds control authentication (options in section <c>RegistrationDaemon</c>, key-file check and reloader). Called by <c>AddRegistration</c>.</summary>
    public static IServiceCollection AddHardening(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AuthenticationOptions>, AuthenticationOptionsValidator>());
        services.AddReloadableOptions<AuthenticationOptions>(AuthenticationOptions.SectionName);
        services.AddControlAuthentication(sp =>
        {
            var o = sp.GetRequiredService<IReloadableOptions<AuthenticationOptions>>().Current;
            return new ControlAuthenticationSettings(o.AuthKeyFile, o.AuthMaxClockSkew, o.AuthReplayCacheSize, o.AuthKeyFileCheckInterval,
                $"{AuthenticationOptions.SectionName}:{nameof(AuthenticationOptions.AuthKeyFile)}", o.AllowUnauthenticated, "vxrd");
        });
        return services;
    }
}
