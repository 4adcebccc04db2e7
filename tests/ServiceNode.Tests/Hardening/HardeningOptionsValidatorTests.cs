using Replicator.Hosting.Authentication;
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
            AuthKeyFile = "keys",
            AuthMaxClockSkew = TimeSpan.FromHours(1),
            AuthReplayCacheSize = 10,
            AuthKeyFileCheckInterval = TimeSpan.Zero,
        });
        Assert.True(result.Failed);
        Assert.Equal(4, result.Failures!.Count());
        Assert.Contains("ServiceNode:AuthKeyFile = 'keys': must be an absolute path", result.Failures!);
    }
}
