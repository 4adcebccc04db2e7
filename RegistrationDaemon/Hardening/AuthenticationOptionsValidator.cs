using Replicator.Hosting.Authentication;
using Microsoft.Extensions.Options;

namespace Replicator.RegistrationDaemon.Hardening;

/// <summary>Checks every <see cref="AuthenticationOptions"/> key; reports all problems, each naming key and value.</summary>
public sealed class AuthenticationOptionsValidator : IValidateOptions<AuthenticationOptions>
{
    private const string S = AuthenticationOptions.SectionName;

    public ValidateOptionsResult Validate(string? name, AuthenticationOptions options)
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
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
