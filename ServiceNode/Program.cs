using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Replicator.Hosting.Configuration;
using Replicator.Hosting.Management;
using Replicator.Hosting.Management.Cli;
using Replicator.Hosting.Metrics;
using Replicator.ServiceNode.Addresses;
using Replicator.ServiceNode.Bgp;
using Replicator.ServiceNode.Bgp.Evpn;
using Replicator.ServiceNode.Cluster;
using Replicator.ServiceNode.Configuration;
using Replicator.ServiceNode.Control;
using Replicator.ServiceNode.Management;
using Replicator.ServiceNode.Management.Cli;
using Replicator.ServiceNode.Registry;
using Replicator.ServiceNode.Replication;

namespace Replicator.ServiceNode;

/// <summary>vxsnd: the Replicator service node. Composition only; features live in their folders.</summary>
internal static class Program
{
    private const string ToolName = ServiceNodeCommandLine.ToolName;

    public static Task<int> Main(string[] args)
    {
        // The daemon and its CLI (de)serialize the management API's JSON with generated code (Native AOT).
        ManagementJson.AddTypes(ServiceNodeJsonContext.Default);
        return CliCommandLine.InvokeAsync(ServiceNodeCommandLine.Create(RunDaemonAsync), args, ToolName);
    }

    /// <summary>Runs the daemon until SIGTERM/SIGINT or <paramref name="cancellationToken"/>; returns the exit code.</summary>
    public static Task<int> RunDaemonAsync(string? configFile, IReadOnlyList<string> configArgs, CancellationToken cancellationToken) =>
        DaemonCommandLine.RunDaemonAsync(ToolName, () => CreateBuilder(configFile, configArgs), cancellationToken);

    /// <summary>The daemon's composition (also used by in-process tests).</summary>
    public static HostApplicationBuilder CreateBuilder(string? configFile, IReadOnlyList<string> configArgs)
    {
        var builder = DaemonHost.CreateBuilder(ToolName, configFile, configArgs);
        builder.Services
            .AddServiceNodeOptions()
            .AddOwnAddresses()          // before Registry: static entries and registrations are judged against them
            .AddRegistry()              // before Control: static entries are loaded before the first datagram
            .AddCluster()               // between Registry and Control: the start-up sync fills the table before the control socket opens
            .AddControl()
            .AddServiceNodeManagement()
            .AddBgp();

        builder.Services
            .AddReplication(builder.Configuration)
            .AddSingleton<IUnregisteredSenderSink, RegistryLearnSink>();
        builder.Services.AddEvpnBridge(builder.Configuration); // the registry <-> EVPN routes, when ServiceNode:Bgp:Enabled
        builder.AddObservabilityFromConfiguration("vxsnd", ServiceNodeOptions.SectionName,
            [RegistryMetrics.MeterName, ControlMetrics.MeterName, ReplicationMetrics.MeterName, ClusterMetrics.MeterName, BgpMetrics.MeterName, EvpnMetrics.MeterName]);
        return builder;
    }
}
