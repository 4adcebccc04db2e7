using Replicator.Hosting.Configuration;

namespace Replicator.Hosting.Metrics;

/// <summary>Invalid observability keys, held back from builder time to be reported with every other configuration error.</summary>
internal sealed class ObservabilityConfigurationErrors(IReadOnlyList<string> errors) : IStartupCheck
{
    public IReadOnlyList<string> Check() => errors;
}
