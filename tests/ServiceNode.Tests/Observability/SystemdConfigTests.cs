using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Replicator.Hosting.Authentication;
using Replicator.Hosting.Configuration;
using Replicator.Hosting.Metrics;
using Replicator.ServiceNode.Configuration;
using Replicator.ServiceNode.Hardening;
using Replicator.ServiceNode.Registry;
using Replicator.ServiceNode.Replication;
using Replicator.TestSupport;

namespace Replicator.ServiceNode.Tests.Observability;

/// <summary>
/// The shipped <c>deploy/systemd/vxsnd.json</c> uses only keys vxsnd reads (a misspelt key would
/// stop start-up) and passes the daemon's own validators. That vxsnd starts with
/// it is proven by <see cref="VxsndMetricsScrapeTests"/>.
/// </summary>
public sealed class SystemdConfigTests
{
    private static readonly IConfigurationRoot ConfigFile = new ConfigurationBuilder()
        .AddJsonFile(Path.Combine(ObservedDaemon.RepositoryRoot, "deploy", "systemd", "vxsnd.json"), optional: false)
        .Build();

    private static readonly IConfigurationSection Section = ConfigFile.GetSection(ServiceNodeOptions.SectionName);

    [Fact]
    public void SystemdConfig_EveryKey_IsAnOptionVxsndReads()
    {
        // The keys vxsnd's own composition declares (the start-up check uses the same ones).
        using var host = Program.CreateBuilder(null, []).Build();
        var keys = host.Services.GetServices<ConfigurationSectionKeys>().ToList();

        var errors = ConfigurationKeysCheck.Check(ConfigFile, keys);

        Assert.Empty(errors);
        Assert.Contains(keys, k => k.Section == "ServiceNode:Metrics" && k.Keys.ContainsKey(nameof(MetricsOptions.OtlpEndpoint)));
    }

    [Fact]
    public void SystemdConfig_Binds_AndPassesTheValidators()
    {
        var node = Section.Get<ServiceNodeOptions>(o => o.ErrorOnUnknownConfiguration = false)!;
        var registry = ConfigFile.GetSection(RegistryOptions.SectionName).Get<RegistryOptions>()!;
        var data = ConfigFile.GetSection(ReplicationOptions.SectionName).Get<ReplicationOptions>()!;
        var metrics = ConfigFile.GetSection("ServiceNode:Metrics").Get<MetricsOptions>()!;

        var nodeResult = new ServiceNodeOptionsValidator().Validate(null, node);
        var registryResult = new RegistryOptionsValidator().Validate(null, registry);
        var dataResult = new ReplicationOptionsValidator().Validate(null, data);
        var metricsResult = new MetricsOptionsValidator("ServiceNode:Metrics").Validate(null, metrics);

        Assert.True(nodeResult.Succeeded, nodeResult.FailureMessage);
        Assert.True(registryResult.Succeeded, registryResult.FailureMessage);
        Assert.True(dataResult.Succeeded, dataResult.FailureMessage);
        Assert.True(metricsResult.Succeeded, metricsResult.FailureMessage);
        Assert.Equal(TimeSpan.FromSeconds(90), registry.HoldTime);
        Assert.Equal("203.0.113.1", node.ControlAddress);
        Assert.Equal("127.0.0.1:9501", metrics.Endpoint);
        Assert.Equal(SourceMode.Preserve, data.SourceMode);
    }

    [Fact]
    public void SystemdConfig_Authentication_KeyFileInEtcReplicator()
    {
        using var services = new ServiceCollection().AddLogging().AddSingleton<IConfiguration>(ConfigFile).AddHardening().BuildServiceProvider();

        var options = services.GetRequiredService<ReloadableOptions<ControlAuthenticationOptions>>();

        Assert.Empty(options.StartupErrors);
        Assert.Equal("/etc/replicator/keys", options.Current.KeyFile);
        Assert.False(options.Current.AllowUnauthenticated);
    }
}
