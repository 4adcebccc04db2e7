using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Systemd;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using Replicator.Hosting.Configuration;
using Replicator.Hosting.Health;
using Replicator.Hosting.Systemd;

namespace Replicator.Hosting.Metrics;

/// <summary>
/// One call per daemon wires metrics collection (OpenTelemetry SDK), the Prometheus
/// <c>/metrics</c> endpoint (OpenTelemetry's Prometheus exporter for ASP.NET Core), <c>/healthz</c>,
/// <c>/readyz</c>, optional OTLP export, systemd readiness notification and the systemd watchdog.
/// Works on <c>WebApplicationBuilder</c> and <c>HostApplicationBuilder</c>.
/// </summary>
public static class ObservabilityHostApplicationBuilderExtensions
{
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
        string keyPrefix,
        MetricsOptions? metrics = null)
    {
        ArgumentNullException.ThrowIfNull(meterNames);
        return builder.AddObservability(keyPrefix, options =>
        {
            options.DaemonName = daemonName;
            options.MetricsEndpoint = metricsEndpoint;
            options.OtlpEndpoint = otlpEndpoint;
            options.MetricsScopeLabels = metrics?.ScopeLabels ?? false;
            options.MetricsTargetInfo = metrics?.TargetInfo ?? false;
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
    /// Adds observability configured by the <see cref="MetricsOptions"/> of section
    /// <c>{section}:Metrics</c> (<c>ServiceNode:Metrics</c> for vxsnd, <c>RegistrationDaemon:Metrics</c>
    /// for vxrd), bound and validated like every other options class
    /// (<see cref="StartupOptionsExtensions.AddStartupOptions{TOptions}(IServiceCollection, IConfiguration, string, IEnumerable{Microsoft.Extensions.Options.IValidateOptions{TOptions}})"/>):
    /// its keys are known keys, and an invalid value does not throw here but is an
    /// <see cref="IStartupCheck"/> error reported with every other configuration error of the daemon
    /// (and nothing listens). A missing key means the default; an empty endpoint disables.
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
        string path = ConfigurationPath.Combine(section, MetricsOptions.SectionName);
        var metrics = builder.Services.AddStartupOptions(builder.Configuration, path, [new MetricsOptionsValidator(path)]);
        if (metrics.Errors.Count > 0) return builder.AddObservability(daemonName, meterNames, "", null, readinessConditions);
        MetricsOptions o = metrics.Value;
        return builder.AddObservability(daemonName, meterNames, o.Endpoint, o.OtlpEndpoint, readinessConditions, path + ":", o);
    }

    /// <summary>
    /// Adds observability as described by <see cref="ObservabilityOptions"/>. Throws
    /// <see cref="ArgumentException"/> listing every invalid setting (key and value) at once.
    /// Registers <see cref="ReadinessState"/>, the <see cref="MeterProvider"/>,
    /// <see cref="WatchdogHeartbeats"/> and, when enabled, <see cref="ObservabilityServer"/> and the
    /// systemd services.
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
        services.TryAddSingleton<WatchdogHeartbeats>();
        services.AddSingleton(sp => new HealthMetrics(sp.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(), sp.GetRequiredService<ReadinessState>(), options.DaemonName));
        services.AddSingleton(sp => new SocketDropsMetrics(sp.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(), options.DaemonName));
        // OpenTelemetry.Extensions.Hosting registers the MeterProvider (built when the host starts,
        // disposed with the container, which flushes a last OTLP export).
        services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(options.DaemonName, serviceVersion: DaemonVersion.Full))
            .WithMetrics(metrics => ConfigureMetrics(metrics, options, listen, otlp));
        services.AddHostedService<HostStartedReadinessService>();

        if (listen is not null)
        {
            services.AddSingleton(sp => new ObservabilityServer(
                listen,
                sp.GetRequiredService<MeterProvider>(),
                sp.GetRequiredService<ReadinessState>(),
                sp.GetRequiredService<IHostApplicationLifetime>(),
                sp.GetRequiredService<ILoggerFactory>()));
            services.AddHostedService(sp => sp.GetRequiredService<ObservabilityServer>());
        }

        if (options.SystemdNotify)
        {
            AddSystemd(services);
        }

        return builder;
    }

    /// <summary>
    /// READY=1/STATUS=/STOPPING=1 through the package's notifier, and WATCHDOG=1 when systemd asked
    /// for it. <c>$NOTIFY_SOCKET</c> and <c>$WATCHDOG_USEC</c> are read here, once (a test may
    /// register its own <see cref="ISystemdNotifier"/> first).
    /// </summary>
    private static void AddSystemd(IServiceCollection services)
    {
        services.TryAddSingleton<ISystemdNotifier>(new SystemdNotifier());
        services.AddSingleton(sp => new SystemdNotifyService(
            sp.GetRequiredService<ISystemdNotifier>(),
            sp.GetRequiredService<ReadinessState>(),
            sp.GetRequiredService<IHostApplicationLifetime>(),
            sp.GetRequiredService<ILogger<SystemdNotifyService>>()));
        services.AddHostedService(sp => sp.GetRequiredService<SystemdNotifyService>());
        if (SystemdWatchdog.TimeoutFromEnvironment() is { } timeout)
        {
            services.AddHostedService(sp => new SystemdWatchdogService(
                sp.GetRequiredService<ISystemdNotifier>(),
                sp.GetRequiredService<SystemdNotifyService>(),
                sp.GetRequiredService<WatchdogHeartbeats>(),
                timeout,
                sp.GetRequiredService<ILogger<SystemdWatchdogService>>()));
        }
    }

    /// <param name="keyPrefix">Prepended to the key names in messages (<c>ServiceNode:Metrics:</c>), so they name the key as configured.</param>
    private static (IPEndPoint? Listen, Uri? Otlp) Validate(ObservabilityOptions options, string keyPrefix)
    {
        var errors = new List<string>();
        // Named as configured (ServiceNode:Metrics:Endpoint), or as the ObservabilityOptions property when set in code.
        string endpointKey = keyPrefix.Length == 0 ? nameof(ObservabilityOptions.MetricsEndpoint) : nameof(MetricsOptions.Endpoint);
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
                errors.Add($"{keyPrefix}{endpointKey}: {e.Message}");
            }
        }

        if (!string.IsNullOrWhiteSpace(endpoint))
        {
            if (!MetricsEndpointParser.TryParse(endpoint, out listen, out string? error))
            {
                errors.Add($"{keyPrefix}{endpointKey}: {error}");
            }
        }

        Uri? otlp = null;
        if (!string.IsNullOrWhiteSpace(options.OtlpEndpoint))
        {
            if (!Uri.TryCreate(options.OtlpEndpoint, UriKind.Absolute, out otlp) || (otlp.Scheme != Uri.UriSchemeHttp && otlp.Scheme != Uri.UriSchemeHttps))
            {
                errors.Add($"{keyPrefix}{nameof(MetricsOptions.OtlpEndpoint)}: '{options.OtlpEndpoint}' is not an http:// or https:// URL");
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

    private static void ConfigureMetrics(MeterProviderBuilder builder, ObservabilityOptions options, IPEndPoint? listen, Uri? otlp)
    {
        builder.AddMeter([.. options.MeterNames, HealthMetrics.MeterName, Authentication.ControlAuthenticationMetrics.MeterName, SocketDropsMetrics.MeterName]);
        // Deferred: runs when the host builds the provider, with the host's services.
        ((IDeferredMeterProviderBuilder)builder).Configure((services, metrics) =>
        {
            // These instances must exist before collection so their instruments are published.
            services.GetRequiredService<HealthMetrics>();
            services.GetRequiredService<SocketDropsMetrics>();
            var meterFactory = services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>();
            metrics.AddView(instrument => HostMeterFilter.Select(instrument, meterFactory));
            var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ObservabilityHostApplicationBuilderExtensions));
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

            if (otlp is not null)
            {
                ObservabilityLog.OtlpEnabled(logger, otlp, OtlpProtocol(otlp).ToString(), options.OtlpExportInterval.TotalSeconds);
            }
        });

        if (listen is not null)
        {
            builder.AddPrometheusExporter(exporter =>
            {
                exporter.ScopeInfoEnabled = options.MetricsScopeLabels;
                exporter.TargetInfoEnabled = options.MetricsTargetInfo;
                // Every scrape collects afresh (a value changed just before a scrape is in it);
                // concurrent scrapes still share one collection.
                exporter.ScrapeResponseCacheDurationMilliseconds = 0;
            });
        }

        if (otlp is not null)
        {
            builder.AddOtlpExporter((exporter, reader) =>
            {
                exporter.Endpoint = otlp;
                exporter.Protocol = OtlpProtocol(otlp);
                reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = (int)options.OtlpExportInterval.TotalMilliseconds;
            });
        }
    }

    private static OtlpExportProtocol OtlpProtocol(Uri otlp) =>
        otlp.AbsolutePath.EndsWith("/v1/metrics", StringComparison.Ordinal) ? OtlpExportProtocol.HttpProtobuf : OtlpExportProtocol.Grpc;
}
