using Replicator.Hosting.Configuration;

namespace Replicator.Hosting.Tests.Configuration;

public sealed class DurationTextTests
{
    [Theory]
    [InlineData("00:01:30", 90_000)]
    [InlineData("1.00:00:00", 86_400_000)]
    [InlineData("00:00:00.250", 250)]
    [InlineData("90s", 90_000)]
    [InlineData(" 1.5s ", 1_500)]
    [InlineData("500ms", 500)]
    [InlineData("2m", 120_000)]
    [InlineData("1h", 3_600_000)]
    [InlineData("1d", 86_400_000)]
    [InlineData("0s", 0)]
    [InlineData("-00:00:01", -1_000)] // TimeSpan's own form keeps its sign; validators judge the range
    public void TryParse_AcceptedForms_GiveTheDuration(string text, long milliseconds)
    {
        Assert.True(DurationText.TryParse(text, out var value));
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), value);
    }

    [Theory]
    [InlineData("90")]       // bare number: days to TimeSpan, seconds to most readers
    [InlineData("")]
    [InlineData(null)]
    [InlineData("s")]
    [InlineData("-5s")]
    [InlineData("1,5s")]
    [InlineData("5 sec")]
    [InlineData("1e3s")]
    [InlineData("99999999999999d")]
    [InlineData("00:61:00")]
    [InlineData("1:30")]     // hours:minutes to TimeSpan, minutes:seconds to many readers
    public void TryParse_OtherText_Refused(string? text)
    {
        Assert.False(DurationText.TryParse(text, out _));
    }
}
