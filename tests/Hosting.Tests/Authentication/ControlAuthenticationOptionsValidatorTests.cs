using Replicator.Hosting.Authentication;

namespace Replicator.Hosting.Tests.Authentication;

public sealed class ControlAuthenticationOptionsValidatorTests
{
    private static readonly ControlAuthenticationOptionsValidator Validator = new("ServiceNode:Authentication");

    [Fact]
    public void Validate_Defaults_Succeed()
    {
        Assert.True(Validator.Validate(null, new ControlAuthenticationOptions()).Succeeded);
    }

    [Theory]
    [InlineData(1024)]
    [InlineData(16_777_216)]
    public void Validate_ReplayCacheSizeAtBounds_Succeeds(int size)
    {
        Assert.True(Validator.Validate(null, new ControlAuthenticationOptions { ReplayCacheSize = size }).Succeeded);
    }

    [Fact]
    public void Validate_EveryKeyBad_ReportsAllNamingKeyAndValue()
    {
        var result = Validator.Validate(null, new ControlAuthenticationOptions
        {
            KeyFile = "relative/keys",
            MaxClockSkew = TimeSpan.FromHours(1),
            ReplayCacheSize = 10,
            KeyFileCheckInterval = TimeSpan.Zero,
        });

        Assert.True(result.Failed);
        Assert.Equal(
            [
                "ServiceNode:Authentication:KeyFile = 'relative/keys': must be an absolute path",
                "ServiceNode:Authentication:MaxClockSkew = '01:00:00': must be between 00:00:01 and 00:10:00",
                "ServiceNode:Authentication:ReplayCacheSize = '10': must be 1024-16777216",
                "ServiceNode:Authentication:KeyFileCheckInterval = '00:00:00': must be between 00:00:01 and 01:00:00",
            ],
            result.Failures!);
    }
}
