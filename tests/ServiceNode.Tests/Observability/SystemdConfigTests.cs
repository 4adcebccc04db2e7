using Replicator.TestSupport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Replicator.Hosting.Authentication;
using Replicator.Hosting.Configuration;
using Replicator.Hosting.Metrics;
using Replicator.ServiceNode.Configuration;
using Replicator.ServiceNode.Hardening;
using Replicator.ServiceNode.Replication;

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
        Assert.Contains(keys, k => k.Keys.ContainsKey(ObservabilityHostApplicationBuilderExtensions.OtlpEndpointKey));
    }

    [Fact]
    public void SystemdConfig_Binds_AndPassesTheValidators()
    {
        var node = Section.Get<ServiceNodeOptions>(o => o.ErrorOnUnknownConfiguration = false)!;
        var data = Section.Get<ReplicationOptions>(o => o.ErrorOnUnknownConfiguration = false)!;

        var nodeResult = new ServiceNodeOptionsValidator().Validate(null, node);
        var dataResult = new ReplicationOptionsValidator().Validate(null, data);

        Assert.True(nodeResult.Succeeded, nodeResult.FailureMessage);
        Assert.True(dataResult.Succeeded, dataResult.FailureMessage);
        Assert.Equal(TimeSpan.FromSeconds(90), node.HoldTime);
        Assert.Equal("203.0.113.1", node.ControlAddress);
        Assert.Equal("127.0.0.1:9501", node.MetricsEndpoint);
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
