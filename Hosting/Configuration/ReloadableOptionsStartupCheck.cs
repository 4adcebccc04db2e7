using System.Diagnostics.CodeAnalysis;
namespace Replicator.Hosting.Configuration;

/// <summary>Reports the start-up errors of one <see cref="ReloadableOptions{TOptions}"/>.</summary>
internal sealed class ReloadableOptionsStartupCheck<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicProperties)] TOptions>(ReloadableOptions<TOptions> options) : IStartupCheck
    where TOptions : class, new()
{
    public IReadOnlyList<string> Check() => options.StartupErrors;
}
