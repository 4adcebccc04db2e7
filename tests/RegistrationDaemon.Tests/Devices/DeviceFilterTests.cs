using Replicator.RegistrationDaemon.Devices;

namespace Replicator.RegistrationDaemon.Tests.Devices;

public sealed class DeviceFilterTests
{
    [Theory]
    [InlineData("vxlan100", true)]
    [InlineData("vxlan1", true)]
    [InlineData("vx-a", true)]
    [InlineData("vx-ab", false)]
    [InlineData("eth0", false)]
    [InlineData("exact", true)]
    public void Matches_Globs_AsExpected(string name, bool expected) =>
        Assert.Equal(expected, new DeviceFilter(["vxlan*", "vx-?", "exact"]).Matches(name));

    [Fact]
    public void Matches_NoPatterns_MatchesEverything() => Assert.True(new DeviceFilter([]).Matches("anything"));

    [Fact]
    public void Matches_StarInMiddle_Backtracks() => Assert.True(new DeviceFilter(["v*x*0"]).Matches("vxlanx100"));
}
