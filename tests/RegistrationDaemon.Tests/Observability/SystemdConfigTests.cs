using Replicator.TestSupport;
using Microsoft.Extensions.Configuration;
using Replicator.Hosting.Metrics;

namespace Replicator.RegistrationDaemon.Tests.Observability;

/// <summary>
/// The shipped <c>deploy/systemd/vxrd.json</c> uses only keys vxrd reads (a misspelt key would
/// stop start-up) and passes the daemon's own validator. That vxrd starts with
/// it is proven by <see cref="VxrdMetricsScrapeTests"/>.
/// </summary>
public sealed class SystemdConfigTests
{
    private static readonly IConfigurationSection Section = new ConfigurationBuilder()
        .AddJsonFile(Path.Combine(ObservedDaemon.RepositoryRoot, "deploy", "systemd", "vxrd.json"), optional: false)
        .Build()
        .GetSection(RegistrationDaemonOptions.SectionName);

    [Fact]
    public void SystemdConfig_EveryKey_IsAnOptionVxrdReads()
    {
        var known = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { ObservabilityHostApplicationBuilderExtensions.OtlpEndpointKey };
        foreach (var type in new[] { typeof(RegistrationDaemonOptions), typeof(RegistrationDaemon.Hardening.AuthenticationOptions) })
            foreach (var p in type.GetProperties()) if (p.CanWrite) known.Add(p.Name);

        var unknown = Section.GetChildren().Select(c => c.Key).Where(k => !known.Contains(k)).ToList();

        Assert.Empty(unknown);
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
        Assert.Equal("127.0.0.1:9502", options.MetricsEndpoint);
    }

    [Fact]
    public void SystemdConfig_AuthenticationOptions_KeyFileInEtcReplicator()
    {
        var options = Section.Get<RegistrationDaemon.Hardening.AuthenticationOptions>(o => o.ErrorOnUnknownConfiguration = false)!;

        var result = new RegistrationDaemon.Hardening.AuthenticationOptionsValidator().Validate(null, options);

        Assert.True(result.Succeeded, result.FailureMessage);
        Assert.Equal("/etc/replicator/keys", options.AuthKeyFile);
        Assert.False(options.AllowUnauthenticated);
    }
}
