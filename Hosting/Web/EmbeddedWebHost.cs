using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Replicator.Hosting.Logging;

namespace Replicator.Hosting.Web;

/// <summary>
/// The one way a daemon embeds a listener of its own (the management API on a unix socket, the
/// metrics and health endpoints on a TCP port): a minimal Kestrel (<c>UseKestrelCore</c>, no
/// <c>Server</c> header) in a <see cref="WebApplication"/> separate from the daemon's generic host,
/// logging through the daemon's logger factory (ASP.NET Core's per-request information logs
/// dropped, see <see cref="QuietLoggerFactory"/>) and leaving signals to the daemon's host
/// (<see cref="PassiveHostLifetime"/>). The caller adds its services and middleware, then builds.
/// </summary>
internal static class EmbeddedWebHost
{
    /// <param name="applicationName">Names the embedded application (e.g. "management").</param>
    /// <param name="daemonLoggerFactory">The daemon's logger factory; the embedded host does not own it.</param>
    /// <param name="listen">Adds the listener(s) to Kestrel.</param>
    public static WebApplicationBuilder CreateBuilder(string applicationName, ILoggerFactory daemonLoggerFactory, Action<KestrelServerOptions> listen)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(applicationName);
        ArgumentNullException.ThrowIfNull(daemonLoggerFactory);
        ArgumentNullException.ThrowIfNull(listen);
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ApplicationName = applicationName });
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            listen(kestrel);
        });
        // Share the daemon's logging pipeline instead of building a second one.
        builder.Services.AddSingleton<ILoggerFactory>(new QuietLoggerFactory(daemonLoggerFactory));
        builder.Services.AddLogging();
        builder.Services.AddSingleton<IHostLifetime, PassiveHostLifetime>();
        return builder;
    }
}
