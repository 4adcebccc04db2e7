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

    [Theory]
    [InlineData(0, true)]
    [InlineData(65536, true)]
    [InlineData(1 << 30, true)]
    [InlineData(65535, false)]
    [InlineData(-1, false)]
    [InlineData((1 << 30) + 1, false)]
    public void Validate_ControlReceiveBufferBytes_ZeroOrWithinRange(int bytes, bool valid)
    {
        var result = new ControlLimitsOptionsValidator().Validate(null, new ControlLimitsOptions { ControlReceiveBufferBytes = bytes });
        Assert.Equal(valid, result.Succeeded);
        if (!valid) Assert.StartsWith($"ServiceNode:Hardening:ControlReceiveBufferBytes = '{bytes}'", Assert.Single(result.Failures!), StringComparison.Ordinal);
    }
}
