using Replicator.ServiceNode.Hardening;

namespace Replicator.ServiceNode.Tests.Hardening;

public class ControlLimitsOptionsValidatorTests
{
    [Fact]
    public void Validate_Defaults_Succeed()
    {
        Assert.True(new ControlLimitsOptionsValidator().Validate(null, new ControlLimitsOptions()).Succeeded);
    }

    [Fact]
    public void Validate_EveryKeyBad_ReportsAllNamingKeyAndValue()
    {
        var result = new ControlLimitsOptionsValidator().Validate(null, new ControlLimitsOptions
        {
            ControlRateLimitPerSource = -1,
            ControlRateLimitGlobal = double.NaN,
            ControlRateLimitBurstSeconds = 0,
            ControlRateLimitMaxSources = 0,
            MaxVnisPerSource = -1,
            MaxEntriesPerSource = -2,
        });
        Assert.True(result.Failed);
        Assert.Equal(6, result.Failures!.Count());
        Assert.Contains(result.Failures!, f => f.StartsWith("ServiceNode:Hardening:ControlRateLimitPerSource = '-1'", StringComparison.Ordinal));
        Assert.Contains(result.Failures!, f => f.StartsWith("ServiceNode:Hardening:ControlRateLimitGlobal = 'NaN'", StringComparison.Ordinal));
        Assert.Contains(result.Failures!, f => f.StartsWith("ServiceNode:Hardening:ControlRateLimitBurstSeconds = '0'", StringComparison.Ordinal));
        Assert.Contains(result.Failures!, f => f.StartsWith("ServiceNode:Hardening:ControlRateLimitMaxSources = '0'", StringComparison.Ordinal));
        Assert.Contains(result.Failures!, f => f.StartsWith("ServiceNode:Hardening:MaxVnisPerSource = '-1'", StringComparison.Ordinal));
        Assert.Contains(result.Failures!, f => f.StartsWith("ServiceNode:Hardening:MaxEntriesPerSource = '-2'", StringComparison.Ordinal));
    }
}
