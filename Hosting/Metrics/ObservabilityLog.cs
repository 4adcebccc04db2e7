using System.Net;
using Microsoft.Extensions.Logging;

namespace Replicator.Hosting.Metrics;

/// <summary>Logs of the observability listener and exporters. Event ids 1300-1399 (<see cref="HostingEventIds"/>).</summary>
internal static partial class ObservabilityLog
{
    [LoggerMessage(EventId = HostingEventIds.MetricsListening, Level = LogLevel.Information, Message = "Metrics and health endpoints listening on http://{Endpoint} (/metrics, /healthz, /readyz)")]
    public static partial void Listening(ILogger logger, IPEndPoint endpoint);

    [LoggerMessage(EventId = HostingEventIds.MetricsListenerDisabled, Level = LogLevel.Information, Message = "Metrics listener disabled (MetricsEndpoint is empty)")]
    public static partial void ListenerDisabled(ILogger logger);

    [LoggerMessage(EventId = HostingEventIds.MetricsListenFailed, Level = LogLevel.Error, Message = "Cannot listen on MetricsEndpoint {Endpoint}")]
    public static partial void ListenFailed(ILogger logger, IPEndPoint endpoint, Exception exception);

    // 1304 and 1305 (once 7004 and 7005: scrape failed, instrument skipped) belonged to our own
    // exposition; the exporter reports those through its EventSource "OpenTelemetry-Exporter-Prometheus".

    [LoggerMessage(EventId = HostingEventIds.OtlpEnabled, Level = LogLevel.Information, Message = "OTLP metric export to {Endpoint} ({Protocol}) every {IntervalSeconds} s")]
    public static partial void OtlpEnabled(ILogger logger, Uri endpoint, string protocol, double intervalSeconds);

    [LoggerMessage(EventId = HostingEventIds.MetricsListenerExposed, Level = LogLevel.Warning, Message = "MetricsEndpoint {Endpoint} is not a loopback address: /metrics, /healthz and /readyz are exposed to the network (no authentication); use 127.0.0.1 or [::1] unless a firewall limits who can reach it")]
    public static partial void ListenerExposed(ILogger logger, IPEndPoint endpoint);
}
