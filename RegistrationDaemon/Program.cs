using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Replicator.Hosting.Configuration;
using Replicator.Hosting.Management;
using Replicator.Hosting.Management.Cli;
using Replicator.Hosting.Metrics;
using Replicator.RegistrationDaemon.Configuration;
using Replicator.RegistrationDaemon.Daemon;
using Replicator.RegistrationDaemon.Devices;
using Replicator.RegistrationDaemon.Management;
using Replicator.RegistrationDaemon.Management.Cli;
using Replicator.RegistrationDaemon.Reconcile;
using Replicator.RegistrationDaemon.Registration;

namespace Replicator.RegistrationDaemon;

/// <summary>vxrd: the Replicator registration daemon. Composition only; features live in their folders.</summary>
internal static class Program
{
    private const string ToolName = RegistrationDaemonCommandLine.ToolName;

    public static Task<int> Main(string[] args)
    {
        // The daemon and its CLI (de)serialize the management API's JSON with generated code (Native AOT).
        ManagementJson.AddTypes(RegistrationDaemonJsonContext.Default);
        return CliCommandLine.InvokeAsync(RegistrationDaemonCommandLine.Create(RunDaemonAsync), args, ToolName);
    }

    /// <summary>Runs the daemon until SIGTERM/SIGINT or <paramref name="cancellationToken"/>; returns the exit code.</summary>
    public static Task<int> RunDaemonAsync(string? configFile, IReadOnlyList<string> configArgs, CancellationToken cancellationToken) =>
        DaemonCommandLine.RunDaemonAsync(ToolName, () => CreateBuilder(configFile, configArgs), cancellationToken);

    /// <summary>The daemon's composition (also used by in-process tests).</summary>
    public static HostApplicationBuilder CreateBuilder(string? configFile, IReadOnlyList<string> configArgs)
    {
        var builder = DaemonHost.CreateBuilder(ToolName, configFile, configArgs);
        builder.AddObservabilityFromConfiguration(ToolName, RegistrationDaemonOptions.SectionName,
            [RegistrationMetrics.MeterName, ReconcileMetrics.MeterName], [LinksLoadedReadiness.ConditionName]);

        builder.Services
            .AddRegistrationDaemonOptions()
            .AddDeviceDiscovery()
            .AddRegistration()
            .AddReconcile()
            .AddDaemonLoop()
            .AddRegistrationManagement();

        builder.Services.AddHostedService<LinksLoadedReadiness>();
        return builder;
    }
}
