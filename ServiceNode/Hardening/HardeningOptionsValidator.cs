using Replicator.Hosting.Authentication;
using Microsoft.Extensions.Options;

namespace Replicator.ServiceNode.Hardening;

/// <summary>Checks every <see cref="HardeningOptions"/> key; reports all problems, each naming key and value.</summary>
public sealed class HardeningOptionsValidator : IValidateOptions<HardeningOptions>
{
    private const string S = HardeningOptions.SectionName;

    public ValidateOptionsResult Validate(string? name, HardeningOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        if (options.AuthKeyFile is { Length: > 0 } file && !Path.IsPathFullyQualified(file))
            errors.Add($"{S}:AuthKeyFile = '{file}': must be an absolute path");
        if (options.AuthMaxClockSkew < TimeSpan.FromSeconds(1) || options.AuthMaxClockSkew > TimeSpan.FromMinutes(10))
            errors.Add($"{S}:AuthMaxClockSkew = '{options.AuthMaxClockSkew}': must be between 00:00:01 and 00:10:00");
        if (options.AuthReplayCacheSize is < 1024 or > 16_777_216)
            errors.Add($"{S}:AuthReplayCacheSize = '{options.AuthReplayCacheSize}': must be 1024-16777216");
        if (options.AuthKeyFileCheckInterval < TimeSpan.FromSeconds(1) || options.AuthKeyFileCheckInterval > TimeSpan.FromHours(1))
            errors.Add($"{S}:AuthKeyFileCheckInterval = '{options.AuthKeyFileCheckInterval}': must be between 00:00:01 and 01:00:00");
        if (!double.IsFinite(options.ControlRateLimitPerSource) || options.ControlRateLimitPerSource < 0)
            errors.Add($"{S}:ControlRateLimitPerSource = '{options.ControlRateLimitPerSource}': must be 0 (unlimited) or more");
        if (!double.IsFinite(options.ControlRateLimitGlobal) || options.ControlRateLimitGlobal < 0)
            errors.Add($"{S}:ControlRateLimitGlobal = '{options.ControlRateLimitGlobal}': must be 0 (unlimited) or more");
        if (!double.IsFinite(options.ControlRateLimitBurstSeconds) || options.ControlRateLimitBurstSeconds is < 0.01 or > 3600)
            errors.Add($"{S}:ControlRateLimitBurstSeconds = '{options.ControlRateLimitBurstSeconds}': must be between 0.01 and 3600");
        if (options.ControlRateLimitMaxSources is < 1 or > 16_777_216)
            errors.Add($"{S}:ControlRateLimitMaxSources = '{options.ControlRateLimitMaxSources}': must be 1-16777216");
        if (options.MaxVnisPerSource < 0)
            errors.Add($"{S}:MaxVnisPerSource = '{options.MaxVnisPerSource}': must be 0 (unlimited) or more");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
