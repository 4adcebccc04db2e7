using Replicator.Hosting.Metrics.Tests;

namespace Replicator.Hosting.Deploy.Tests;

public class PrometheusDeployTests
{
    [Fact]
    public void PrometheusYml_PromtoolCheckConfig_Passes()
    {
        var r = Promtool.Run(["check", "config", RepositoryPaths.Deploy("prometheus", "prometheus.yml")]);

        Assert.True(r.ExitCode == 0, $"promtool check config: exit {r.ExitCode}: {r.Output}");
        Assert.Contains("1 rule files found", r.Output);
    }

    [Fact]
    public void AlertsYml_PromtoolCheckRules_Passes()
    {
        var r = Promtool.Run(["check", "rules", RepositoryPaths.Deploy("prometheus", "alerts.yml")]);

        Assert.True(r.ExitCode == 0, $"promtool check rules: exit {r.ExitCode}: {r.Output}");
    }

    [Fact]
    public void AlertsYml_PromtoolTestRules_EveryAlertFiresAsSpecified()
    {
        var r = Promtool.Run(["test", "rules", RepositoryPaths.Deploy("prometheus", "alerts.test.yml")]);

        Assert.True(r.ExitCode == 0, $"promtool test rules: exit {r.ExitCode}: {r.Output}");
    }

    [Theory]
    [InlineData("ServiceNodeUnreachableFromVtep")]
    [InlineData("ReplicationDropsRising")]
    [InlineData("VtepCountFalling")]
    [InlineData("ReplicationSendErrors")]
    [InlineData("ControlAuthenticationOff")]
    public void AlertsYml_RequiredAlert_IsDefined(string alert)
    {
        Assert.Contains($"- alert: {alert}\n", File.ReadAllText(RepositoryPaths.Deploy("prometheus", "alerts.yml")));
    }

    [Fact]
    public void AlertsYml_Expressions_ReferenceOnlyKnownMetrics()
    {
        var exprs = File.ReadAllLines(RepositoryPaths.Deploy("prometheus", "alerts.yml"))
            .Where(l => !l.TrimStart().StartsWith('#'))
            .ToArray();
        var unknown = exprs.SelectMany(KnownMetrics.Referenced).Where(n => !KnownMetrics.Names.Contains(n)).Distinct().ToList();

        Assert.Empty(unknown);
    }

    [Fact]
    public void PrometheusYml_ScrapesBothDaemonsOnTheirDefaultPorts()
    {
        string text = File.ReadAllText(RepositoryPaths.Deploy("prometheus", "prometheus.yml"));

        Assert.Contains("job_name: vxsnd", text);
        Assert.Contains("job_name: vxrd", text);
        Assert.Contains($"\"{Replicator.Hosting.Metrics.MetricsEndpointDefaults.ServiceNode}\"", text);
        Assert.Contains($"\"{Replicator.Hosting.Metrics.MetricsEndpointDefaults.RegistrationDaemon}\"", text);
    }
}
