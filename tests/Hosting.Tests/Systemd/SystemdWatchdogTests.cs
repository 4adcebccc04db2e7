namespace Replicator.Hosting.Systemd.Tests;

public class SystemdWatchdogTests
{
    [Theory]
    [InlineData(null, null, null)]
    [InlineData("", null, null)]
    [InlineData("0", null, null)]
    [InlineData("abc", null, null)]
    [InlineData("-5", null, null)]
    [InlineData("30000000", null, 30.0)]
    [InlineData("30000000", "4242", 30.0)]
    [InlineData("30000000", "4243", null)]
    [InlineData("30000000", "x", null)]
    [InlineData("500000", "", 0.5)]
    public void Timeout_Environment_SecondsOrNull(string? usec, string? pid, double? expected)
    {
        var variables = new Dictionary<string, string?> { [SystemdWatchdog.TimeoutVariable] = usec, [SystemdWatchdog.PidVariable] = pid };

        var timeout = SystemdWatchdog.Timeout(name => variables.GetValueOrDefault(name), pid: 4242);

        Assert.Equal(expected, timeout?.TotalSeconds);
    }

    [Fact]
    public void Timeout_BeyondADay_CappedAtADay()
    {
        var timeout = SystemdWatchdog.Timeout(name => name == SystemdWatchdog.TimeoutVariable ? "9000000000000" : null, pid: 1);

        Assert.Equal(TimeSpan.FromDays(1), timeout);
    }
}
