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
        AuthenticationOptionChecks.Check(S, options.AuthKeyFile, options.AuthMaxClockSkew, options.AuthReplayCacheSize,
            options.AuthKeyFileCheckInterval, errors);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
