using Microsoft.Extensions.Options;

namespace Replicator.Hosting.Authentication;

/// <summary>
/// Checks every <see cref="ControlAuthenticationOptions"/> key of both daemons; reports all
/// problems, each naming the key (under <paramref name="section"/>, e.g.
/// <c>ServiceNode:Authentication</c>) and the value.
/// </summary>
internal sealed class ControlAuthenticationOptionsValidator(string section) : IValidateOptions<ControlAuthenticationOptions>
{
    public ValidateOptionsResult Validate(string? name, ControlAuthenticationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        if (options.KeyFile is { Length: > 0 } file && !Path.IsPathFullyQualified(file))
            errors.Add($"{section}:{nameof(options.KeyFile)} = '{file}': must be an absolute path");
        if (options.MaxClockSkew < TimeSpan.FromSeconds(1) || options.MaxClockSkew > TimeSpan.FromMinutes(10))
            errors.Add($"{section}:{nameof(options.MaxClockSkew)} = '{options.MaxClockSkew}': must be between 00:00:01 and 00:10:00");
        if (options.ReplayCacheSize is < 1024 or > 16_777_216)
            errors.Add($"{section}:{nameof(options.ReplayCacheSize)} = '{options.ReplayCacheSize}': must be 1024-16777216");
        if (options.KeyFileCheckInterval < TimeSpan.FromSeconds(1) || options.KeyFileCheckInterval > TimeSpan.FromHours(1))
            errors.Add($"{section}:{nameof(options.KeyFileCheckInterval)} = '{options.KeyFileCheckInterval}': must be between 00:00:01 and 01:00:00");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
