using Replicator.Hosting.Configuration;
using System.Net;
using System.Reflection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using Replicator.Hosting.Health;
using Replicator.Hosting.Metrics.Prometheus;
using Replicator.Hosting.Systemd;

namespace Replicator.Hosting.Metrics;

/// <summary>
/// One call per daemon wires metrics collection (OpenTelemetry SDK), the Prometheus
/// <c>/metrics</c> endpoint, <c>/healthz</c>, <c>/readyz</c>, optional OTLP export and systemd
/// readiness notification. Works on <c>WebApplicationBuilder</c> and <c>HostApplicationBuilder</c>.
/// </summary>
public static class ObservabilityHostApplicationBuilderExtensions
{
    /// <summary>Configuration key of the listener, inside the daemon's section.</summary>
    public const string MetricsEndpointKey = "MetricsEndpoint";

    /// <summary>Configuration key of the OTLP collector URL, inside the daemon's section.</summary>
    public const string OtlpEndpointKey = "OtlpEndpoint";

    /// <summary>
    /// Adds observability with explicit settings. <paramref name="metricsEndpoint"/>: null = the
    /// daemon's default (vxsnd 127.0.0.1:9501, vxrd 127.0.0.1:9502), "" = no listener.
    /// <paramref name="otlpEndpoint"/>: null or "" = no OTLP export.
    /// </summary>
    public static IHostApplicationBuilder AddObservability(
        this IHostApplicationBuilder builder,
        string daemonName,
        IEnumerable<string> meterNames,
        string? metricsEndpoint,
        string? otlpEndpoint,
        IEnumerable<string>? readinessConditions = null) =>
        builder.AddObservability(daemonName, meterNames, metricsEndpoint, otlpEndpoint, readinessConditions, "");

    private static IHostApplicationBuilder AddObservability(
        this IHostApplicationBuilder builder,
        string daemonName,
        IEnumerable<string> meterNames,
        string? metricsEndpoint,
        string? otlpEndpoint,
        IEnumerable<string>? readinessConditions,
        string keyPrefix)
    {
        ArgumentNullException.ThrowIfNull(meterNames);
        return builder.AddObservability(keyPrefix, options =>
        {
            options.DaemonName = daemonName;
            options.MetricsEndpoint = metricsEndpoint;
            options.OtlpEndpoint = otlpEndpoint;
            foreach (string meter in meterNames)
            {
                options.MeterNames.Add(meter);
            }

            foreach (string condition in readinessConditions ?? [])
            {
                options.ReadinessConditions.Add(condition);
            }
        });
    }

    /// <summary>
    /// Adds observability reading <c>{section}:MetricsEndpoint</c> and <c>{section}:OtlpEndpoint</c>
    /// from the builder's configuration (section "ServiceNode" for vxsnd, "RegistrationDaemon" for vxrd).
    /// A missing key means the default; an empty value disables. Both become known keys of the
    /// section; an invalid value does not throw here but is an <see cref="IStartupCheck"/> error, so
    /// it is reported with every other configuration error of the daemon (and nothing listens).
    /// </summary>
    public static IHostApplicationBuilder AddObservabilityFromConfiguration(
        this IHostApplicationBuilder builder,
        string daemonName,
        string section,
        IEnumerable<string> meterNames,
        IEnumerable<string>? readinessConditions = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(section);
        var config = builder.Configuration.GetSection(section);
        builder.Services.AddConfigurationKeys(new ConfigurationSectionKeys(section,
            [new(MetricsEndpointKey, typeof(string)), new(OtlpEndpointKey, typeof(string))]));
        try
        {
            return builder.AddObservability(daemonName, meterNames, config[MetricsEndpointKey], config[OtlpEndpointKey], readinessConditions, section + ":");
        }
        catch (DaemonConfigurationException ex)
        {
            builder.Services.AddSingleton<IStartupCheck>(new ObservabilityConfigurationErrors(ex.Errors));
            return builder.AddObservability(daemonName, meterNames, "", null, readinessConditions);
        }
    }

    /// <summary>
    /// Adds observability as described by <see cref="ObservabilityOptions"/>. Throws
    /// <see cref="ArgumentException"/> listing every invalid setting (key and value) at once.
    /// Registers <see cref="ReadinessState"/>, <see cref="PrometheusScraper"/>, the
    /// <see cref="MeterProvider"/> and, when enabled, <see cref="ObservabilityServer"/>.
    /// </summary>
    public static IHostApplicationBuilder AddObservability(this IHostApplicationBuilder builder, Action<ObservabilityOptions> configure) =>
        builder.AddObservability("", configure);

    private static IHostApplicationBuilder AddObservability(this IHostApplicationBuilder builder, string keyPrefix, Action<ObservabilityOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        var options = new ObservabilityOptions();
        configure(options);
        var (listen, otlp) = Validate(options, keyPrefix);

        var services = builder.Services;
        var readiness = new ReadinessState();
        foreach (string condition in options.ReadinessConditions)
        {
            readiness.Register(condition);
        }

        services.AddSingleton(readiness);
        services.AddSingleton(options);
        services.AddSingleton<PrometheusScraper>();
        services.AddSingleton(sp => new HealthMetrics(sp.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(), sp.GetRequiredService<ReadinessState>(), options.DaemonName));
        services.AddSingleton(sp => new SocketDropsMetrics(sp.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(), options.DaemonName));
        services.AddSingleton(sp => BuildMeterProvider(sp, options, listen, otlp));
        services.AddHostedService<MeterProviderService>();
        services.AddHostedService<HostStartedReadinessService>();

        if (listen is not null)
        {
            services.AddSingleton(sp => new ObservabilityServer(
                listen,
                sp.GetRequiredService<PrometheusScraper>(),
                sp.GetRequiredService<ReadinessState>(),
                sp.GetRequiredService<IHostApplicationLifetime>(),
                sp.GetRequiredService<ILoggerFactory>()));
            services.AddHostedService(sp => sp.GetRequiredService<ObservabilityServer>());
        }

        if (options.SystemdNotify)
        {
            services.AddHostedService(sp => new SystemdNotifyService(
                options.NotifySocket is { Length: > 0 } socket ? new SystemdNotifier(socket) : SystemdNotifier.FromEnvironment(),
                sp.GetRequiredService<ReadinessState>(),
                sp.GetRequiredService<IHostApplicationLifetime>(),
                sp.GetRequiredService<ILogger<SystemdNotifyService>>()));
        }

        return builder;
    }

    /// <param name="keyPrefix">Prepended to the key names in messages (<c>ServiceNode:</c>), so they name the key as configured.</param>
    private static (IPEndPoint? Listen, Uri? Otlp) Validate(ObservabilityOptions options, string keyPrefix)
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(options.DaemonName))
        {
            errors.Add("DaemonName is empty");
        }

        IPEndPoint? listen = null;
        string? endpoint = options.MetricsEndpoint;
        if (endpoint is null && !string.IsNullOrWhiteSpace(options.DaemonName))
        {
            try
            {
                endpoint = MetricsEndpointDefaults.For(options.DaemonName);
            }
            catch (ArgumentException e)
            {
                errors.Add($"{keyPrefix}{MetricsEndpointKey}: {e.Message}");
            }
        }

        if (!string.IsNullOrWhiteSpace(endpoint))
        {
            if (!MetricsEndpointParser.TryParse(endpoint, out listen, out string? error))
            {
                errors.Add($"{keyPrefix}{MetricsEndpointKey}: {error}");
            }
        }

        Uri? otlp = null;
        if (!string.IsNullOrWhiteSpace(options.OtlpEndpoint))
        {
            if (!Uri.TryCreate(options.OtlpEndpoint, UriKind.Absolute, out otlp) || (otlp.Scheme != Uri.UriSchemeHttp && otlp.Scheme != Uri.UriSchemeHttps))
            {
                errors.Add($"{keyPrefix}{OtlpEndpointKey}: '{options.OtlpEndpoint}' is not an http:// or https:// URL");
                otlp = null;
            }
        }

        if (options.OtlpExportInterval <= TimeSpan.Zero)
        {
            errors.Add($"OtlpExportInterval: '{options.OtlpExportInterval}' must be positive");
        }

        foreach (string meter in options.MeterNames)
        {
            if (string.IsNullOrWhiteSpace(meter))
            {
                errors.Add("MeterNames: contains an empty name");
            }
        }

        if (errors.Count > 0)
        {
            // A configuration error like any other: the daemon prints one line per problem and exits 1.
            throw new DaemonConfigurationException(errors);
        }

        return (listen, otlp);
    }

    private static MeterProvider BuildMeterProvider(IServiceProvider services, ObservabilityOptions options, IPEndPoint? listen, Uri? otlp)
    {
        // The HealthMetrics instance must exist before collection so its gauge is published.
        services.GetRequiredService<HealthMetrics>();
        services.GetRequiredService<SocketDropsMetrics>();
        var scraper = services.GetRequiredService<PrometheusScraper>();
        var meterFactory = services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>();
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ObservabilityHostApplicationBuilderExtensions));
        scraper.InstrumentSkipped += name => ObservabilityLog.InstrumentSkipped(logger, name);
        if (listen is null)
        {
            ObservabilityLog.ListenerDisabled(logger);
        }
        else if (!IPAddress.IsLoopback(listen.Address))
        {
            // Allowed (a scraper on another host needs it), but /metrics tells anyone who can reach
            // it the fleet's VTEP counts, VNIs and peers: say so at every start.
            ObservabilityLog.ListenerExposed(logger, listen);
        }

        string version = typeof(ObservabilityHostApplicationBuilderExtensions).Assembly
            .GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";
        var builder = Sdk.CreateMeterProviderBuilder()
            .ConfigureResource(r => r.AddService(options.DaemonName, serviceVersion: version))
            .AddMeter([.. options.MeterNames, HealthMetrics.MeterName, Authentication.ControlAuthenticationMetrics.MeterName, SocketDropsMetrics.MeterName])
            .AddView(instrument => HostMeterFilter.Select(instrument, meterFactory))
            .AddPrometheusText(scraper);

        if (otlp is not null)
        {
            var protocol = otlp.AbsolutePath.EndsWith("/v1/metrics", StringComparison.Ordinal)
                ? OtlpExportProtocol.HttpProtobuf
                : OtlpExportProtocol.Grpc;
            builder.AddOtlpExporter((exporter, reader) =>
            {
                exporter.Endpoint = otlp;
                exporter.Protocol = protocol;
                reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = (int)options.OtlpExportInterval.TotalMilliseconds;
            });
            ObservabilityLog.OtlpEnabled(logger, otlp, protocol.ToString(), options.OtlpExportInterval.TotalSeconds);
        }

        return builder.Build();
    }
}
