using Microsoft.Extensions.Options;

namespace Replicator.Hosting.Metrics;

/// <summary>Checks every <see cref="MetricsOptions"/> key and reports all problems at once, each naming key and value.</summary>
/// <param name="section">The section's path (<c>ServiceNode:Metrics</c>), so that messages name the key as configured.</param>
public sealed class MetricsOptionsValidator(string section) : IValidateOptions<MetricsOptions>
{
    public ValidateOptionsResult Validate(string? name, MetricsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        if (!string.IsNullOrWhiteSpace(options.Endpoint) && !MetricsEndpointParser.TryParse(options.Endpoint, out _, out string? error))
            errors.Add($"{section}:{nameof(MetricsOptions.Endpoint)}: {error}");
        if (!string.IsNullOrWhiteSpace(options.OtlpEndpoint)
            && (!Uri.TryCreate(options.OtlpEndpoint, UriKind.Absolute, out var otlp) || (otlp.Scheme != Uri.UriSchemeHttp && otlp.Scheme != Uri.UriSchemeHttps)))
            errors.Add($"{section}:{nameof(MetricsOptions.OtlpEndpoint)}: '{options.OtlpEndpoint}' is not an http:// or https:// URL");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
