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
        AuthenticationOptionChecks.Check(S, options.AuthKeyFile, options.AuthMaxClockSkew, options.AuthReplayCacheSize,
            options.AuthKeyFileCheckInterval, errors);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
