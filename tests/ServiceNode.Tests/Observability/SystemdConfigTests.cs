using Replicator.TestSupport;
using Microsoft.Extensions.Configuration;
using Replicator.Hosting.Metrics;
using Replicator.ServiceNode.Configuration;
using Replicator.ServiceNode.Replication;

namespace Replicator.ServiceNode.Tests.Observability;

/// <summary>
/// The shipped <c>deploy/systemd/vxsnd.json</c> uses only keys vxsnd reads (a misspelt key would be
/// silently ignored by the binder) and passes the daemon's own validators. That vxsnd starts with
/// it is proven by <see cref="VxsndMetricsScrapeTests"/>.
/// </summary>
public sealed class SystemdConfigTests
{
    private static readonly IConfigurationSection Section = new ConfigurationBuilder()
        .AddJsonFile(Path.Combine(ObservedDaemon.RepositoryRoot, "deploy", "systemd", "vxsnd.json"), optional: false)
        .Build()
        .GetSection(ServiceNodeOptions.SectionName);

    [Fact]
    public void SystemdConfig_EveryKey_IsAnOptionVxsndReads()
    {
        var known = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
        {
            ObservabilityHostApplicationBuilderExtensions.MetricsEndpointKey, ObservabilityHostApplicationBuilderExtensions.OtlpEndpointKey,
        };
        foreach (var type in new[] { typeof(ServiceNodeOptions), typeof(ReplicationOptions), typeof(ServiceNode.Hardening.HardeningOptions) })
        {
            foreach (var p in type.GetProperties()) if (p.CanWrite) known.Add(p.Name);
        }

        var unknown = Section.GetChildren().Select(c => c.Key).Where(k => !known.Contains(k)).ToList();

        Assert.Empty(unknown);
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
    public void SystemdConfig_HardeningOptions_KeyFileInEtcReplicator()
    {
        var options = Section.Get<ServiceNode.Hardening.HardeningOptions>(o => o.ErrorOnUnknownConfiguration = false)!;

        var result = new ServiceNode.Hardening.HardeningOptionsValidator().Validate(null, options);

        Assert.True(result.Succeeded, result.FailureMessage);
        Assert.Equal("/etc/replicator/keys", options.AuthKeyFile);
        Assert.False(options.AllowUnauthenticated);
    }
}
