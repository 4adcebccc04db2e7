using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Replicator.Hosting.Configuration;

namespace Replicator.ServiceNode.Configuration;

public static class ServiceNodeOptionsExtensions
{
    /// <summary>Adds <see cref="IReloadableOptions{ServiceNodeOptions}"/> (section <c>ServiceNode</c>), validated at start and on every reload.</summary>
    public static IServiceCollection AddServiceNodeOptions(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ServiceNodeOptions>, ServiceNodeOptionsValidator>());
        services.AddReloadableOptions<ServiceNodeOptions>(ServiceNodeOptions.SectionName);
        return services;
    }
}
