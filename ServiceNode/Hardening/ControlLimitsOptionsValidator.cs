using Microsoft.Extensions.Options;

namespace Replicator.ServiceNode.Hardening;

/// <summary>Checks every <see cref="ControlLimitsOptions"/> key; reports all problems, each naming key and value.</summary>
internal sealed class ControlLimitsOptionsValidator : IValidateOptions<ControlLimitsOptions>
{
    private const string S = ControlLimitsOptions.SectionName;

    public ValidateOptionsResult Validate(string? name, ControlLimitsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
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
        if (options.MaxEntriesPerSource < 0)
            errors.Add($"{S}:MaxEntriesPerSource = '{options.MaxEntriesPerSource}': must be 0 (unlimited) or more");
        if (!double.IsFinite(options.PushRatePerDestination) || options.PushRatePerDestination < 0)
            errors.Add($"{S}:PushRatePerDestination = '{options.PushRatePerDestination}': must be 0 (unlimited) or more");
        if (!double.IsFinite(options.PushRateGlobal) || options.PushRateGlobal < 0)
            errors.Add($"{S}:PushRateGlobal = '{options.PushRateGlobal}': must be 0 (unlimited) or more");
        if (!double.IsFinite(options.PushBurstSeconds) || options.PushBurstSeconds is < 0.01 or > 3600)
            errors.Add($"{S}:PushBurstSeconds = '{options.PushBurstSeconds}': must be between 0.01 and 3600");
        if (options.PushQueueCapacity is < 1 or > 16_777_216)
            errors.Add($"{S}:PushQueueCapacity = '{options.PushQueueCapacity}': must be 1-16777216");
        if (options.ControlReceiveBufferBytes != 0 && options.ControlReceiveBufferBytes is < 65536 or > 1 << 30)
            errors.Add($"{S}:ControlReceiveBufferBytes = '{options.ControlReceiveBufferBytes}': must be 0 (the kernel's default) or 65536-1073741824");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
