using Replicator.Hosting.Configuration;

namespace Replicator.Hosting.Tests.Configuration;

public sealed class NearestKeyTests
{
    [Theory]
    [InlineData("ControlPort", "ControlPort", 0)]
    [InlineData("ControlPrt", "ControlPort", 1)]
    [InlineData("controlport", "ControlPort", 0)]
    [InlineData("HoldTme", "HoldTime", 1)]
    [InlineData("", "abc", 3)]
    [InlineData("kitten", "sitting", 3)]
    public void Distance_Pairs_IsCaseInsensitiveLevenshtein(string a, string b, int expected)
    {
        Assert.Equal(expected, NearestKey.Distance(a, b));
        Assert.Equal(expected, NearestKey.Distance(b, a));
    }

    [Theory]
    [InlineData("ControlPrt", "ControlPort")]
    [InlineData("HoldTme", "HoldTime")]
    [InlineData("DatPort", "DataPort")]
    [InlineData("Wrokers", "Workers")]
    public void Find_MisspeltKey_ReturnsNearest(string key, string expected)
    {
        Assert.Equal(expected, NearestKey.Find(key, ["ControlAddress", "ControlPort", "DataPort", "HoldTime", "Workers", "SyncPort"]));
    }

    [Fact]
    public void Find_NoCandidates_ReturnsNull()
    {
        Assert.Null(NearestKey.Find("x", []));
    }
}
