using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Replicator.Hosting.Configuration;

/// <summary>
/// Options read once at start (sockets and threads are sized from them), bound and validated like
/// <see cref="ReloadableOptions{TOptions}"/> so their errors join every other configuration error
/// in one report (<see cref="IStartupCheck"/>) instead of surfacing as an exception when the first
/// service resolves them.
/// </summary>
public sealed class StartupOptions<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicProperties)] TOptions> where TOptions : class, new()
{
    public StartupOptions(IConfiguration configuration, string sectionName, IEnumerable<IValidateOptions<TOptions>> validators)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(sectionName);
        var errors = new List<string>();
        Value = OptionsBinder.BindAndValidate(configuration.GetSection(sectionName), validators, errors);
        Errors = errors;
    }

    /// <summary>The value read at start; meant for use only when <see cref="Errors"/> is empty (start-up stops otherwise).</summary>
    public TOptions Value { get; }

    /// <summary>Every binding and validation error, one line each.</summary>
    public IReadOnlyList<string> Errors { get; }
}
