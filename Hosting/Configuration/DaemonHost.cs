using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace Replicator.Hosting.Configuration;

/// <summary>Creates and runs a daemon host the same way for vxsnd and vxrd.</summary>
public static partial class DaemonHost
{
    /// <summary>
    /// A host builder with no implicit sources: configuration from <see cref="DaemonConfigurationExtensions.AddDaemonConfiguration"/>,
    /// single-line console logs filtered by the <c>Logging</c> section (reloadable), and the
    /// configuration-reload logger.
    /// </summary>
    /// <exception cref="DaemonConfigurationException">The configuration file is missing or unparsable.</exception>
    public static HostApplicationBuilder CreateBuilder(string daemonName, string? configFile, IReadOnlyList<string> commandLine)
    {
        ArgumentNullException.ThrowIfNull(daemonName);
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings
        {
            ApplicationName = daemonName,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Configuration.AddDaemonConfiguration(configFile, commandLine);
        builder.Logging.AddConfiguration(builder.Configuration.GetSection("Logging"));
        builder.Logging.SetMinimumLevel(LogLevel.Information);
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.UseUtcTimestamp = true;
            o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
            o.ColorBehavior = LoggerColorBehavior.Disabled;
        });
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, ConfigurationReloadLogger>());
        return builder;
    }

    /// <summary>
    /// Runs every <see cref="IStartupCheck"/> and throws with all their errors at once (each line
    /// once: options classes sharing a section see the same misshapen value).
    /// </summary>
    /// <exception cref="DaemonConfigurationException">At least one check failed.</exception>
    public static void RunStartupChecks(IServiceProvider services)
    {
        var errors = new List<string>();
        foreach (var check in services.GetServices<IStartupCheck>())
        {
            try
            {
                errors.AddRange(check.Check());
            }
            catch (DaemonConfigurationException ex)
            {
                errors.AddRange(ex.Errors);
            }
        }
        if (errors.Count > 0) throw new DaemonConfigurationException([.. errors.Distinct(StringComparer.Ordinal)]);
    }

    /// <summary>
    /// The one way a configuration error reaches the operator: <c>DAEMON: configuration: LINE</c> on
    /// stderr, one line per problem, never a stack trace.
    /// </summary>
    public static void WriteConfigurationErrors(TextWriter stderr, string daemonName, IEnumerable<string> errors)
    {
        ArgumentNullException.ThrowIfNull(stderr);
        ArgumentNullException.ThrowIfNull(errors);
        foreach (string error in errors)
        {
            // A message must not smuggle a second line (a multi-line exception text) past the format.
            foreach (string line in error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                stderr.WriteLine($"{daemonName}: configuration: {line}");
        }
        stderr.Flush();
    }

    /// <summary>
    /// Runs the host until shutdown (SIGTERM, Ctrl+C or <paramref name="cancellationToken"/>) and
    /// returns the process exit code: 1 when start-up checks fail (each error on its own stderr
    /// line, see <see cref="WriteConfigurationErrors"/>), when start fails, or when a background service
    /// crashed (the host then stops but would otherwise exit 0); 0 on a clean stop.
    /// </summary>
    public static async Task<int> RunAsync(IHost host, string daemonName, TextWriter? stderr = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(host);
        stderr ??= Console.Error;
        var logger = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger(daemonName);
        try
        {
            RunStartupChecks(host.Services);
        }
        catch (DaemonConfigurationException ex)
        {
            WriteConfigurationErrors(stderr, daemonName, ex.Errors);
            return 1;
        }

        try
        {
            await host.StartAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            Log.StartupFailed(logger, ex);
            await stderr.WriteLineAsync($"{daemonName}: start-up failed: {Innermost(ex).Message}");
            await StopQuietly(host);
            return 1;
        }
        catch (OperationCanceledException)
        {
            await StopQuietly(host);
            return 0;
        }

        await host.WaitForShutdownAsync(cancellationToken);

        int exitCode = 0;
        foreach (var service in host.Services.GetServices<IHostedService>())
        {
            if (service is BackgroundService { ExecuteTask: { IsFaulted: true } task })
            {
                Log.ServiceFaulted(logger, service.GetType().Name, task.Exception!.GetBaseException());
                exitCode = 1;
            }
        }
        return exitCode;
    }

    private static Exception Innermost(Exception ex)
    {
        while (ex is AggregateException { InnerExceptions.Count: 1 } or System.Reflection.TargetInvocationException && ex.InnerException is not null)
            ex = ex.InnerException!;
        return ex;
    }

    private static async Task StopQuietly(IHost host)
    {
        try
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await host.StopAsync(cts.Token);
        }
        catch (Exception)
        {
            // Best effort: the start failure is what the operator needs to see.
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = HostingEventIds.StartupFailed, Level = LogLevel.Critical, Message = "Start-up failed")]
        public static partial void StartupFailed(ILogger logger, Exception exception);

        [LoggerMessage(EventId = HostingEventIds.ServiceFaulted, Level = LogLevel.Critical, Message = "Service {Service} failed; the daemon stopped")]
        public static partial void ServiceFaulted(ILogger logger, string service, Exception exception);
    }
}
