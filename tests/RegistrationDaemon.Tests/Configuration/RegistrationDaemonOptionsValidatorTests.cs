namespace Replicator.RegistrationDaemon.Tests.Configuration;

public sealed class RegistrationDaemonOptionsValidatorTests
{
    [Fact]
    public void Validate_DefaultsWithServiceNode_Succeeds()
    {
        var result = new RegistrationDaemonOptionsValidator().Validate(null, new RegistrationDaemonOptions { ServiceNode = "203.0.113.1" });
        Assert.True(result.Succeeded, result.FailureMessage);
    }

    [Fact]
    public void Validate_EverythingWrong_ReportsEveryKeyWithItsValue()
    {
        var result = new RegistrationDaemonOptionsValidator().Validate(null, new RegistrationDaemonOptions
        {
            ServiceNode = "not-an-address",
            ControlPort = 70000,
            SourceAddress = "0.0.0.0",
            Mode = (ReplicationMode)9,
            HoldTime = TimeSpan.Zero,
            RefreshRate = 0,
            ReconcileInterval = TimeSpan.FromMilliseconds(1),
            Devices = ["ok", "has space", ""],
            ManagementSocket = "relative.sock",
        });
        Assert.True(result.Failed);
        var failures = result.Failures!.ToList();
        foreach (var expected in new[]
        {
            "RegistrationDaemon:ServiceNode 'not-an-address'", "RegistrationDaemon:ControlPort '70000'", "RegistrationDaemon:SourceAddress '0.0.0.0'",
            "RegistrationDaemon:Mode '9'", "RegistrationDaemon:HoldTime '00:00:00'", "RegistrationDaemon:RefreshRate '0'",
            "RegistrationDaemon:ReconcileInterval '00:00:00.0010000'", "RegistrationDaemon:Devices:1 'has space'", "RegistrationDaemon:Devices:2 ''",
            "RegistrationDaemon:ManagementSocket 'relative.sock'",
        })
        {
            Assert.Contains(failures, f => f.Contains(expected));
        }
        Assert.Equal(10, failures.Count);
    }

    [Fact]
    public void Validate_MissingServiceNode_SaysItIsRequired()
    {
        var result = new RegistrationDaemonOptionsValidator().Validate(null, new RegistrationDaemonOptions());
        Assert.Contains("RegistrationDaemon:ServiceNode is required", result.FailureMessage);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void Validate_MaxPeersPerVniNotPositive_Fails(int max)
    {
        var result = new RegistrationDaemonOptionsValidator().Validate(null, new RegistrationDaemonOptions { ServiceNode = "203.0.113.1", MaxPeersPerVni = max });
        Assert.True(result.Failed);
        Assert.Contains(result.Failures!, f => f.Contains($"RegistrationDaemon:MaxPeersPerVni '{max}'"));
    }
}
