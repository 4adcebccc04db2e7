using System.Net;
using Microsoft.Extensions.Logging;

namespace Replicator.Hosting.Metrics;

/// <summary>Logs of the observability listener and exporters. Event ids 7000-7099.</summary>
internal static partial class ObservabilityLog
{
    [LoggerMessage(EventId = 7001, Level = LogLevel.Information, Message = "Metrics and health endpoints listening on http://{Endpoint} (/metrics, /healthz, /readyz)")]
    public static partial void Listening(ILogger logger, IPEndPoint endpoint);

    [LoggerMessage(EventId = 7002, Level = LogLevel.Information, Message = "Metrics listener disabled (MetricsEndpoint is empty)")]
    public static partial void ListenerDisabled(ILogger logger);

    [LoggerMessage(EventId = 7003, Level = LogLevel.Error, Message = "Cannot listen on MetricsEndpoint {Endpoint}")]
    public static partial void ListenFailed(ILogger logger, IPEndPoint endpoint, Exception exception);

    // 7004 and 7005 (scrape failed, instrument skipped) belonged to our own exposition; the
    // exporter reports those through its EventSource "OpenTelemetry-Exporter-Prometheus".

    [LoggerMessage(EventId = 7006, Level = LogLevel.Information, Message = "OTLP metric export to {Endpoint} ({Protocol}) every {IntervalSeconds} s")]
    public static partial void OtlpEnabled(ILogger logger, Uri endpoint, string protocol, double intervalSeconds);

    [LoggerMessage(EventId = 7007, Level = LogLevel.Warning, Message = "MetricsEndpoint {Endpoint} is not a loopback address: /metrics, /healthz and /readyz are exposed to the network (no authentication); use 127.0.0.1 or [::1] unless a firewall limits who can reach it")]
    public static partial void ListenerExposed(ILogger logger, IPEndPoint endpoint);
}
