using Replicator.ServiceNode.Hardening;

namespace Replicator.ServiceNode.Tests.Hardening;

public class HardeningOptionsValidatorTests
{
    [Fact]
    public void Validate_Defaults_Succeed()
    {
        Assert.True(new HardeningOptionsValidator().Validate(null, new HardeningOptions()).Succeeded);
    }

    [Fact]
    public void Validate_EveryKeyBad_ReportsAllNamingKeyAndValue()
    {
        var result = new HardeningOptionsValidator().Validate(null, new HardeningOptions
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
        Assert.Contains(result.Failures!, f => f.StartsWith("ServiceNode:MaxVnisPerSource = '-1'", StringComparison.Ordinal));
        Assert.Contains(result.Failures!, f => f.StartsWith("ServiceNode:MaxEntriesPerSource = '-2'", StringComparison.Ordinal));
    }
}
