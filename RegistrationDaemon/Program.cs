// vxrd: the Replicator registration daemon. Composition only; features live in their folders.
using Microsoft.Extensions.DependencyInjection;
using Replicator.Hosting.Configuration;
using Replicator.Hosting.Metrics;
using Replicator.RegistrationDaemon;
using Replicator.RegistrationDaemon.Configuration;
using Replicator.RegistrationDaemon.Daemon;
using Replicator.RegistrationDaemon.Devices;
using Replicator.RegistrationDaemon.Management;
using Replicator.RegistrationDaemon.Reconcile;
using Replicator.RegistrationDaemon.Registration;

if (VxrdCli.IsCliCommand(args)) return await VxrdCli.RunAsync(args);

Microsoft.Extensions.Hosting.HostApplicationBuilder builder;
try
{
    string[] overrides = DaemonArguments.SplitConfigFile(args, out string? configFile);
    builder = DaemonHost.CreateBuilder(VxrdCli.ToolName, configFile, overrides);
    builder.AddObservabilityFromConfiguration(VxrdCli.ToolName, RegistrationDaemonOptions.SectionName,
        [RegistrationMetrics.MeterName, ReconcileMetrics.MeterName], [LinksLoadedReadiness.ConditionName]);
}
catch (DaemonConfigurationException ex)
{
    DaemonHost.WriteConfigurationErrors(Console.Error, VxrdCli.ToolName, ex.Errors);
    return 1;
}

builder.Services
    .AddRegistrationDaemonOptions()
    .AddDeviceDiscovery()
    .AddRegistration()
    .AddReconcile()
    .AddDaemonLoop()
    .AddRegistrationManagement();

builder.Services.AddHostedService<LinksLoadedReadiness>();

using var host = builder.Build();
return await DaemonHost.RunAsync(host, VxrdCli.ToolName);
