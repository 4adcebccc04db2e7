using Microsoft.Extensions.Options;

namespace Replicator.Hosting.Tests.Configuration;

public sealed class TestOptions
{
    public int Port { get; set; } = 10001;
    public TimeSpan Hold { get; set; } = TimeSpan.FromSeconds(90);
    public string Name { get; set; } = "default";
}

public sealed class TestOptionsValidator : IValidateOptions<TestOptions>
{
    public ValidateOptionsResult Validate(string? name, TestOptions options)
    {
        var errors = new List<string>();
        if (options.Port is < 1 or > 65535) errors.Add($"Test:Port = '{options.Port}': must be 1-65535");
        if (options.Hold < TimeSpan.Zero) errors.Add($"Test:Hold = '{options.Hold}': must not be negative");
        return errors.Count > 0 ? ValidateOptionsResult.Fail(errors) : ValidateOptionsResult.Success;
    }
}
