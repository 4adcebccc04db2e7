using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Replicator.Hosting.Authentication;
using Replicator.Hosting.Configuration;
using Replicator.Hosting.Metrics;
using Replicator.RegistrationDaemon.Hardening;
using Replicator.TestSupport;

namespace Replicator.RegistrationDaemon.Tests.Observability;

/// <summary>
/// The shipped <c>deploy/systemd/vxrd.json</c> uses only keys vxrd reads (a misspelt key would
/// stop start-up) and passes the daemon's own validator. That vxrd starts with
/// it is proven by <see cref="VxrdMetricsScrapeTests"/>.
/// </summary>
public sealed class SystemdConfigTests
{
    private static readonly IConfigurationRoot Root = new ConfigurationBuilder()
        .AddJsonFile(Path.Combine(ObservedDaemon.RepositoryRoot, "deploy", "systemd", "vxrd.json"), optional: false)
        .Build();

    private static readonly IConfigurationSection Section = Root.GetSection(RegistrationDaemonOptions.SectionName);

    [Fact]
    public void SystemdConfig_EveryKey_IsAnOptionVxrdReads()
    {
        // The keys the daemon declares, as its start-up check sees them (nested Metrics section included).
        ConfigurationSectionKeys[] keys =
        [
            ConfigurationSectionKeys.Of<RegistrationDaemonOptions>(RegistrationDaemonOptions.SectionName),
            ConfigurationSectionKeys.Of<ControlAuthenticationOptions>($"{RegistrationDaemonOptions.SectionName}:{ControlAuthenticationOptions.SectionName}"),
            ConfigurationSectionKeys.Of<MetricsOptions>($"{RegistrationDaemonOptions.SectionName}:{MetricsOptions.SectionName}"),
        ];

        var errors = ConfigurationKeysCheck.Check(Root, keys);

        Assert.Empty(errors);
    }

    [Fact]
    public void SystemdConfig_Binds_AndPassesTheValidator()
    {
        var options = Section.Get<RegistrationDaemonOptions>(o => o.ErrorOnUnknownConfiguration = false)!;

        var result = new RegistrationDaemonOptionsValidator().Validate(null, options);

        Assert.True(result.Succeeded, result.FailureMessage);
        Assert.Equal("203.0.113.1", options.ServiceNode);
        Assert.Equal(ReplicationMode.ServiceNode, options.Mode);
        Assert.Equal(TimeSpan.FromSeconds(90), options.HoldTime);
        Assert.Equal(TimeSpan.FromSeconds(10), options.ReconcileInterval);
        Assert.Equal("127.0.0.1:9502", Section.GetSection(MetricsOptions.SectionName).Get<MetricsOptions>()!.Endpoint);
    }

    [Fact]
    public void SystemdConfig_Authentication_KeyFileInEtcReplicator()
    {
        using var services = new ServiceCollection().AddLogging().AddSingleton<IConfiguration>(Root).AddHardening().BuildServiceProvider();

        var options = services.GetRequiredService<ReloadableOptions<ControlAuthenticationOptions>>();

        Assert.Empty(options.StartupErrors);
        Assert.Equal("/etc/replicator/keys", options.Current.KeyFile);
        Assert.False(options.Current.AllowUnauthenticated);
    }
}
