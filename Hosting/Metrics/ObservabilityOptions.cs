namespace Replicator.Hosting.Metrics;

/// <summary>
/// What <see cref="ObservabilityHostApplicationBuilderExtensions.AddObservability(Microsoft.Extensions.Hosting.IHostApplicationBuilder, Action{ObservabilityOptions})"/>
/// sets up. Read once at startup; nothing here reloads.
/// </summary>
public sealed class ObservabilityOptions
{
    /// <summary>"vxsnd" or "vxrd": the OpenTelemetry service.name and the prefix of the readiness gauge. Required.</summary>
    public string DaemonName { get; set; } = "";

    /// <summary>Names of the System.Diagnostics.Metrics meters to collect (the daemon's <c>*Metrics.MeterName</c> constants).</summary>
    public IList<string> MeterNames { get; } = new List<string>();

    /// <summary>
    /// TCP endpoint of the <c>/metrics</c>, <c>/healthz</c>, <c>/readyz</c> listener, "address:port"
    /// (<c>127.0.0.1:9501</c>, <c>[::1]:9501</c>). Null: the daemon's default from
    /// <see cref="MetricsEndpointDefaults.For"/> (vxsnd 127.0.0.1:9501, vxrd 127.0.0.1:9502).
    /// Empty: no listener. Port 0 picks a free port (tests).
    /// </summary>
    public string? MetricsEndpoint { get; set; }

    /// <summary>
    /// OTLP collector URL; null or empty disables OTLP export (default). A URL whose path ends in
    /// <c>/v1/metrics</c> is sent OTLP/HTTP protobuf, any other (e.g. <c>http://collector:4317</c>) OTLP/gRPC.
    /// </summary>
    public string? OtlpEndpoint { get; set; }

    /// <summary>Interval of OTLP pushes. Default 60 s (the OpenTelemetry default).</summary>
    public TimeSpan OtlpExportInterval { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Readiness conditions registered before the host starts, so that <c>/readyz</c> and systemd's
    /// READY=1 wait for them even if the component that meets them is constructed late.
    /// </summary>
    public IList<string> ReadinessConditions { get; } = new List<string>();

    /// <summary>
    /// Whether <c>/metrics</c> labels every series with its meter (<c>otel_scope_name</c>,
    /// <c>otel_scope_version</c>). Default false: the metric names already say which daemon and
    /// feature they belong to, and the extra labels would change every series' identity.
    /// </summary>
    public bool MetricsScopeLabels { get; set; }

    /// <summary>
    /// Whether <c>/metrics</c> carries the OpenTelemetry <c>target_info</c> gauge (service name,
    /// version and SDK as labels). Default false: Prometheus' own <c>job</c>/<c>instance</c> say which target it is.
    /// </summary>
    public bool MetricsTargetInfo { get; set; }

    /// <summary>
    /// Whether to send READY=1 / STATUS= / STOPPING=1 to systemd when <c>$NOTIFY_SOCKET</c> is set, and
    /// WATCHDOG=1 when <c>$WATCHDOG_USEC</c> is set too. Default true.
    /// </summary>
    public bool SystemdNotify { get; set; } = true;
}
