using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Replicator.Hosting.Web;

namespace Replicator.Hosting.Management;

/// <summary>
/// Hosts the management HTTP API on a unix socket with its own minimal Kestrel instance, so the
/// daemon itself stays a generic host and the API is reachable only through the socket's file
/// permissions (0660). A stale socket file is removed at start, the file is deleted at stop.
/// </summary>
internal sealed partial class ManagementServer : IHostedService, IAsyncDisposable
{
    private readonly ManagementServerOptions _options;
    private readonly IEnumerable<IManagementEndpoints> _endpoints;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private WebApplication? _app;
    private string? _path;

    public ManagementServer(ManagementServerOptions options, IEnumerable<IManagementEndpoints> endpoints, ILoggerFactory loggerFactory)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _endpoints = endpoints ?? throw new ArgumentNullException(nameof(endpoints));
        _loggerFactory = loggerFactory ?? throw new ArgumentNullException(nameof(loggerFactory));
        _logger = loggerFactory.CreateLogger<ManagementServer>();
    }

    /// <summary>The socket path actually listened on (after start).</summary>
    public string? SocketPath => _path;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        string path = _options.SocketPath ?? throw new InvalidOperationException("management socket path is not set");
        if (UnixSocketFile.PrepareForListen(path)) Log.StaleSocketRemoved(_logger, path);

        var builder = EmbeddedWebHost.CreateBuilder("management", _loggerFactory, kestrel => kestrel.ListenUnixSocket(path));
        builder.Services.AddRoutingCore();
        builder.Services.ConfigureHttpJsonOptions(o => ManagementJson.Configure(o.SerializerOptions));

        var app = builder.Build();
        app.Use(CatchUnhandled);
        app.UseRouting();
        foreach (var endpoints in _endpoints) endpoints.Map(app);

        await app.StartAsync(cancellationToken);
        _app = app;
        _path = path;
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixSocketFile.Mode);
        Log.Listening(_logger, path);
    }

    private async Task CatchUnhandled(HttpContext context, RequestDelegate next)
    {
        try
        {
            await next(context);
        }
        catch (BadHttpRequestException ex) when (!context.Response.HasStarted)
        {
            context.Response.StatusCode = ex.StatusCode;
            await context.Response.WriteAsJsonAsync(new ManagementError(ex.Message), ManagementJson.TypeInfo<ManagementError>());
        }
        catch (Exception ex) when (!context.Response.HasStarted && !context.RequestAborted.IsCancellationRequested)
        {
            Log.RequestFailed(_logger, context.Request.Method, context.Request.Path, ex);
            context.Response.StatusCode = StatusCodes.Status500InternalServerError;
            await context.Response.WriteAsJsonAsync(new ManagementError($"internal error: {ex.Message}"), ManagementJson.TypeInfo<ManagementError>());
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_app is { } app)
        {
            _app = null;
            try
            {
                await app.StopAsync(cancellationToken);
            }
            finally
            {
                await app.DisposeAsync();
                if (_path is not null) UnixSocketFile.Delete(_path);
                Log.Stopped(_logger, _path ?? "");
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is { } app)
        {
            _app = null;
            await app.DisposeAsync();
            if (_path is not null) UnixSocketFile.Delete(_path);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = HostingEventIds.StaleSocketRemoved, Level = LogLevel.Warning,
            Message = "Removed stale management socket {Path} (left by a daemon that did not stop cleanly)")]
        public static partial void StaleSocketRemoved(ILogger logger, string path);

        [LoggerMessage(EventId = HostingEventIds.ManagementListening, Level = LogLevel.Information,
            Message = "Management API listening on unix socket {Path}")]
        public static partial void Listening(ILogger logger, string path);

        [LoggerMessage(EventId = HostingEventIds.ManagementRequestFailed, Level = LogLevel.Error,
            Message = "Management request {Method} {Path} failed")]
        public static partial void RequestFailed(ILogger logger, string method, string path, Exception exception);

        [LoggerMessage(EventId = HostingEventIds.ManagementStopped, Level = LogLevel.Information,
            Message = "Management API on {Path} stopped")]
        public static partial void Stopped(ILogger logger, string path);
    }
}
