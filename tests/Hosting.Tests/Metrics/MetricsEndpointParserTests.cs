using System.Net;

namespace Replicator.Hosting.Metrics.Tests;

public class MetricsEndpointParserTests
{
    [Theory]
    [InlineData("127.0.0.1:9501", "127.0.0.1", 9501)]
    [InlineData(" 127.0.0.1:9502 ", "127.0.0.1", 9502)]
    [InlineData("[::1]:9501", "::1", 9501)]
    [InlineData("[2001:db8::1]:80", "2001:db8::1", 80)]
    [InlineData("localhost:9501", "127.0.0.1", 9501)]
    [InlineData("0.0.0.0:0", "0.0.0.0", 0)]
    [InlineData("http://127.0.0.1:9501", "127.0.0.1", 9501)]
    [InlineData("http://[::1]:9501/metrics", "::1", 9501)]
    public void TryParse_ValidEndpoint_ReturnsAddressAndPort(string text, string address, int port)
    {
        Assert.True(MetricsEndpointParser.TryParse(text, out var endpoint, out string? error), error);
        Assert.Equal(new IPEndPoint(IPAddress.Parse(address), port), endpoint);
    }

    [Theory]
    [InlineData("127.0.0.1", "not address:port")]
    [InlineData("127.0.0.1:", "not address:port")]
    [InlineData("::1:9501", "brackets")]
    [InlineData("127.0.0.1:70000", "port '70000'")]
    [InlineData("127.0.0.1:-1", "port '-1'")]
    [InlineData("metrics.example:9501", "'metrics.example' is not an IP address")]
    public void TryParse_InvalidEndpoint_ErrorNamesTheValue(string text, string expected)
    {
        Assert.False(MetricsEndpointParser.TryParse(text, out _, out string? error));
        Assert.Contains(expected, error);
        Assert.Contains(text.Trim(), error);
    }
}
