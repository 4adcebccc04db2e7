using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Metrics;
using Replicator.Hosting.Configuration;

namespace Replicator.Hosting.Metrics.Tests;

/// <summary>A MetricsEndpoint off the loopback is allowed but warned about at every start; a bad one joins the start-up errors.</summary>
public sealed class MetricsEndpointExposureTests
{
    private sealed class Capture : ILoggerProvider
    {
        public List<(LogLevel Level, int EventId, string Message)> Entries { get; } = [];

        public ILogger CreateLogger(string categoryName) => new Logger(this);

        public void Dispose() { }

        private sealed class Logger(Capture owner) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                lock (owner.Entries) owner.Entries.Add((logLevel, eventId.Id, formatter(state, exception)));
            }
        }
    }

    private static List<(LogLevel Level, int EventId, string Message)> LogsOfMeterProvider(string endpoint)
    {
        var capture = new Capture();
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Logging.AddProvider(capture);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["ServiceNode:Metrics:Endpoint"] = endpoint });
        builder.AddObservabilityFromConfiguration("vxsnd", "ServiceNode", []);
        using var host = builder.Build();
        // Resolving the meter provider is where the listener settings are logged; nothing binds.
        host.Services.GetRequiredService<MeterProvider>();
        lock (capture.Entries) return [.. capture.Entries];
    }

    [Theory]
    [InlineData("0.0.0.0:9501")]
    [InlineData("192.0.2.1:9501")]
    [InlineData("[::]:9501")]
    public void MeterProvider_NonLoopbackEndpoint_WarnsItIsExposed(string endpoint)
    {
        var warning = Assert.Single(LogsOfMeterProvider(endpoint), e => e.EventId == HostingEventIds.MetricsListenerExposed);

        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains("not a loopback address", warning.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("127.0.0.1:9501")]
    [InlineData("[::1]:9501")]
    [InlineData("")]
    public void MeterProvider_LoopbackOrNoEndpoint_NoWarning(string endpoint)
    {
        Assert.DoesNotContain(LogsOfMeterProvider(endpoint), e => e.EventId == HostingEventIds.MetricsListenerExposed);
    }

    [Fact]
    public void AddObservabilityFromConfiguration_BadEndpoint_IsAStartupErrorNotAnException()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ServiceNode:Metrics:Endpoint"] = "nowhere",
            ["ServiceNode:Metrics:OtlpEndpoint"] = "ftp://collector",
        });

        builder.AddObservabilityFromConfiguration("vxsnd", "ServiceNode", []);
        using var host = builder.Build();

        var e = Assert.Throws<DaemonConfigurationException>(() => DaemonHost.RunStartupChecks(host.Services));
        Assert.Equal(2, e.Errors.Count);
        Assert.Contains(e.Errors, l => l.StartsWith("ServiceNode:Metrics:Endpoint: 'nowhere'", StringComparison.Ordinal));
        Assert.Contains(e.Errors, l => l.StartsWith("ServiceNode:Metrics:OtlpEndpoint: 'ftp://collector'", StringComparison.Ordinal));
    }
}
