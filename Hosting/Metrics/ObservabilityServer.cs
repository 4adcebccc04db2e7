using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Metrics;
using Replicator.Hosting.Health;
using Replicator.Hosting.Web;

namespace Replicator.Hosting.Metrics;

/// <summary>
/// The <c>/metrics</c>, <c>/healthz</c>, <c>/readyz</c> listener: a Kestrel server of its own,
/// separate from any WebApplication the daemon runs (the management API on a unix socket).
/// <c>/metrics</c> is OpenTelemetry's Prometheus scraping middleware (the text format 0.0.4, or
/// OpenMetrics when the scraper's <c>Accept</c> asks for it, as Prometheus does).
/// Keeping it separate means the management routes can never be reached over this TCP port
/// and these probes never depend on how the daemon configures its own Kestrel; it also works
/// for daemons built on a plain generic host.
/// It starts in the "starting" phase, before any other hosted service's StartAsync, so liveness
/// answers while a slow start (vxsnd pulling its table from a peer) is still in progress, and
/// it stops last, after every other service, so <c>/readyz</c> reports "stopping" meanwhile.
/// </summary>
public sealed class ObservabilityServer : IHostedLifecycleService, IAsyncDisposable
{
    private readonly IPEndPoint _endpoint;
    private readonly MeterProvider _meterProvider;
    private readonly ReadinessState _readiness;
    private readonly IHostApplicationLifetime _lifetime;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private WebApplication? _app;

    internal ObservabilityServer(
        IPEndPoint endpoint,
        MeterProvider meterProvider,
        ReadinessState readiness,
        IHostApplicationLifetime lifetime,
        ILoggerFactory loggerFactory)
    {
        _endpoint = endpoint;
        _meterProvider = meterProvider;
        _readiness = readiness;
        _lifetime = lifetime;
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger<ObservabilityServer>();
    }

    /// <summary>The endpoint actually bound (with the real port when 0 was configured); null before start.</summary>
    public IPEndPoint? BoundEndpoint { get; private set; }

    /// <summary>The path of the Prometheus scrape.</summary>
    public const string MetricsPath = "/metrics";

    public async Task StartingAsync(CancellationToken cancellationToken)
    {
        var builder = EmbeddedWebHost.CreateBuilder("observability", _loggerFactory,
            kestrel => kestrel.Listen(_endpoint, listen => listen.Protocols = HttpProtocols.Http1));
        var app = builder.Build();
        app.Use(OnlyGetAndHead);
        // The provider is passed explicitly: this application's container does not hold it.
        app.UseOpenTelemetryPrometheusScrapingEndpoint(_meterProvider, predicate: null, MetricsPath, configureBranchedPipeline: null, optionsName: null);
        app.Run(DispatchAsync);
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            ObservabilityLog.ListenFailed(_logger, _endpoint, e);
            await app.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        _app = app;
        BoundEndpoint = ResolveBoundEndpoint(app) ?? _endpoint;
        ObservabilityLog.Listening(_logger, BoundEndpoint);
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StoppedAsync(CancellationToken cancellationToken)
    {
        if (_app is { } app)
        {
            await app.StopAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is { } app)
        {
            _app = null;
            await app.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static Task OnlyGetAndHead(HttpContext context, RequestDelegate next)
    {
        string method = context.Request.Method;
        if (HttpMethods.IsGet(method) || HttpMethods.IsHead(method))
        {
            return next(context);
        }

        context.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
        context.Response.Headers.Allow = "GET, HEAD";
        return Task.CompletedTask;
    }

    private Task DispatchAsync(HttpContext context) => context.Request.Path.Value switch
    {
        HealthEndpoints.HealthPath => HealthEndpoints.WriteHealthAsync(context),
        HealthEndpoints.ReadyPath => HealthEndpoints.WriteReadinessAsync(context, _readiness, _lifetime),
        _ => NotFound(context),
    };

    private static Task NotFound(HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status404NotFound;
        return Task.CompletedTask;
    }

    private static IPEndPoint? ResolveBoundEndpoint(WebApplication app)
    {
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses;
        if (addresses is null)
        {
            return null;
        }

        foreach (string address in addresses)
        {
            if (Uri.TryCreate(address, UriKind.Absolute, out var uri) && IPAddress.TryParse(uri.Host.Trim('[', ']'), out var ip))
            {
                return new IPEndPoint(ip, uri.Port);
            }
        }

        return null;
    }
}
