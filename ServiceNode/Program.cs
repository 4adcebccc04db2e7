using Microsoft.Extensions.Hosting;
using Replicator.ServiceNode.Addresses;
using Replicator.Hosting.Configuration;
using Replicator.Hosting.Management.Cli;
using Replicator.ServiceNode.Cluster;
using Replicator.ServiceNode.Configuration;
using Replicator.ServiceNode.Control;
using Replicator.ServiceNode.Management;
using Replicator.ServiceNode.Management.Cli;
using Replicator.ServiceNode.Registry;
using Replicator.ServiceNode.Replication;
using Replicator.Hosting.Metrics;
using Microsoft.Extensions.DependencyInjection;

namespace Replicator.ServiceNode;

/// <summary>vxsnd: the Replicator service node. Composition only; features live in their folders.</summary>
internal static class Program
{
    public static Task<int> Main(string[] args) =>
        CliCommandLine.InvokeAsync(ServiceNodeCommandLine.Create(RunDaemonAsync), args, ServiceNodeCommandLine.ToolName);

    /// <summary>Runs the daemon until SIGTERM/SIGINT or <paramref name="cancellationToken"/>; returns the exit code.</summary>
    public static async Task<int> RunDaemonAsync(string? configFile, IReadOnlyList<string> configArgs, CancellationToken cancellationToken)
    {
        HostApplicationBuilder builder;
        try
        {
            builder = CreateBuilder(configFile, configArgs);
        }
        catch (DaemonConfigurationException ex)
        {
            DaemonHost.WriteConfigurationErrors(Console.Error, ServiceNodeCommandLine.ToolName, ex.Errors);
            return 1;
        }
        using var host = builder.Build();
        return await DaemonHost.RunAsync(host, ServiceNodeCommandLine.ToolName, Console.Error, cancellationToken);
    }

    /// <summary>The daemon's composition (also used by in-process tests).</summary>
    public static HostApplicationBuilder CreateBuilder(string? configFile, IReadOnlyList<string> configArgs)
    {
        var builder = DaemonHost.CreateBuilder(ServiceNodeCommandLine.ToolName, configFile, configArgs);
        builder.Services
            .AddServiceNodeOptions()
            .AddOwnAddresses()          // before Registry: static entries and registrations are judged against them
            .AddRegistry()              // before Control: static entries are loaded before the first datagram
            .AddCluster()               // between Registry and Control: the start-up sync fills the table before the control socket opens
            .AddControl()
            .AddServiceNodeManagement();

        builder.Services
            .AddReplication(builder.Configuration)
            .AddSingleton<IUnregisteredSenderSink, RegistryLearnSink>();
        builder.AddObservabilityFromConfiguration("vxsnd", ServiceNodeOptions.SectionName,
            [RegistryMetrics.MeterName, ControlMetrics.MeterName, ReplicationMetrics.MeterName, ClusterMetrics.MeterName]);
        return builder;
    }
}
