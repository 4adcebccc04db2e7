using System.Diagnostics.CodeAnalysis;
namespace Replicator.Hosting.Configuration;

/// <summary>Reports the errors of one <see cref="StartupOptions{TOptions}"/>.</summary>
internal sealed class StartupOptionsCheck<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicProperties)] TOptions>(StartupOptions<TOptions> options) : IStartupCheck
    where TOptions : class, new()
{
    public IReadOnlyList<string> Check() => options.Errors;
}
