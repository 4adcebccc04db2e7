using Replicator.Hosting.Configuration;

namespace Replicator.Hosting.Metrics;

/// <summary>
/// The metrics keys of a daemon, section <c>ServiceNode:Metrics</c> (vxsnd) or
/// <c>RegistrationDaemon:Metrics</c> (vxrd). Read once at start.
/// </summary>
public sealed class MetricsOptions
{
    /// <summary>The section's name inside the daemon's section.</summary>
    public const string SectionName = "Metrics";

    /// <summary>
    /// Listener of <c>/metrics</c>, <c>/healthz</c>, <c>/readyz</c>, "address:port" (<c>127.0.0.1:9501</c>,
    /// <c>[::1]:9501</c>). Unset: the daemon's default (<see cref="MetricsEndpointDefaults"/>: vxsnd
    /// 127.0.0.1:9501, vxrd 127.0.0.1:9502). Empty: no listener. Port 0 picks a free port (tests).
    /// </summary>
    [FormerKey("MetricsEndpoint")]
    public string? Endpoint { get; set; }

    /// <summary>
    /// OTLP collector URL; unset or empty disables OTLP export (default). A URL whose path ends in
    /// <c>/v1/metrics</c> is sent OTLP/HTTP protobuf, any other (e.g. <c>http://collector:4317</c>) OTLP/gRPC.
    /// </summary>
    public string? OtlpEndpoint { get; set; }

    /// <summary>Whether <c>/metrics</c> labels every series with its meter (<see cref="ObservabilityOptions.MetricsScopeLabels"/>). Default false.</summary>
    [FormerKey("MetricsScopeLabels")]
    public bool ScopeLabels { get; set; }

    /// <summary>Whether <c>/metrics</c> carries the OpenTelemetry <c>target_info</c> gauge (<see cref="ObservabilityOptions.MetricsTargetInfo"/>). Default false.</summary>
    [FormerKey("MetricsTargetInfo")]
    public bool TargetInfo { get; set; }
}
