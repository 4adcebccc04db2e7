using Microsoft.Extensions.Options;

namespace Replicator.ServiceNode.Registry;

/// <summary>Checks every <see cref="RegistryOptions"/> key and reports all problems at once, each naming key and value.</summary>
internal sealed class RegistryOptionsValidator : IValidateOptions<RegistryOptions>
{
    private const string S = RegistryOptions.SectionName;

    public ValidateOptionsResult Validate(string? name, RegistryOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        if (options.HoldTime <= TimeSpan.Zero || options.HoldTime > RegistryLimits.MaxHoldTime)
            errors.Add($"{S}:HoldTime = '{options.HoldTime}': must be more than 0 and at most {RegistryLimits.MaxHoldTime}");
        if (options.AgeCheckInterval < TimeSpan.FromMilliseconds(10) || options.AgeCheckInterval > TimeSpan.FromMinutes(1))
            errors.Add($"{S}:AgeCheckInterval = '{options.AgeCheckInterval}': must be between 00:00:00.010 and 00:01:00");
        if (string.IsNullOrWhiteSpace(options.StaticEntriesFile) || !Path.IsPathFullyQualified(options.StaticEntriesFile))
            errors.Add($"{S}:StaticEntriesFile = '{options.StaticEntriesFile}': must be an absolute path");
        if (options.MaxEntries < 1)
            errors.Add($"{S}:MaxEntries = '{options.MaxEntries}': must be at least 1");
        if (options.MaxMembersPerVni < 1)
            errors.Add($"{S}:MaxMembersPerVni = '{options.MaxMembersPerVni}': must be at least 1");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
